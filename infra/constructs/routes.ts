import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { routes } from '../../lambdas/core/settings.js';
import type { PublicApi, Route } from './api.js';

/**
 * The routes of lambdas/core/settings.ts served by one side of the API: every POST route by the
 * ingest function (the write side), every GET route by the query function (the read side). So a
 * new read route (`stats: { method: 'GET', path: '/stats' }`) is one entry in settings and
 * reaches the query function on both targets without touching infra/.
 */
function routesFor(method: Route['method']): [name: string, route: Route][] {
  return Object.entries(routes).filter(([, route]) => route.method === method);
}

/** Adds each of the side's routes to the API, with a construct id made from the route's name. */
export function addRoutes(api: PublicApi, method: Route['method'], fn: IFunction): void {
  for (const [name, route] of routesFor(method))
    api.addLambdaRoute(name.charAt(0).toUpperCase() + name.slice(1), route, fn);
}
