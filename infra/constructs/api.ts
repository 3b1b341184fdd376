import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  Cors,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination as RestLogDestination,
  MethodLoggingLevel,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { cors, queryRoutes, throttling } from '../../lambdas/core/settings.js';

/** Every API metric the alarms and dashboard use: a sum over five minutes. */
const fiveMinuteSum = { period: Duration.minutes(5), statistic: 'Sum' };

/** What both API flavours measure alike: 5xx, 4xx and all requests, summed over 5 minutes. */
abstract class MeteredApi extends Construct {
  protected abstract readonly api: {
    metricServerError(props: typeof fiveMinuteSum): IMetric;
    metricClientError(props: typeof fiveMinuteSum): IMetric;
    metricCount(props: typeof fiveMinuteSum): IMetric;
  };

  metricServerErrors(): IMetric {
    return this.api.metricServerError(fiveMinuteSum);
  }
  metricClientErrors(): IMetric {
    return this.api.metricClientError(fiveMinuteSum);
  }
  metricCount(): IMetric {
    return this.api.metricCount(fiveMinuteSum);
  }
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
}

/** What the Ingest and Query constructs need from an API, whichever flavour the target uses. */
export interface PublicApi {
  /** The API's base URL without a trailing slash: `${url}/visits` is the ingest route. */
  readonly url: string;
  addLambdaRoute(id: string, route: Route, fn: IFunction): void;
  metricServerErrors(): IMetric;
  metricClientErrors(): IMetric;
  metricCount(): IMetric;
}

/** Access-log fields (JSON, one line a request) common to both API flavours. */
function accessLogFields(): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      time: '$context.requestTime',
      method: '$context.httpMethod',
      path: '$context.path',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
      integrationLatencyMs: '$context.integrationLatency',
      length: '$context.responseLength',
      error: '$context.error.message',
    }),
  );
}

const corsHeaders = [...cors.allowHeaders];

/**
 * The query function's routes' own throttle: the stage's numbers hold for the POST routes, and
 * these for each route of the dashboard (reads, saving a segment), so a flood of beacons cannot
 * spend the dashboard's share. As API Gateway route keys (HTTP API) and method paths (REST API).
 */
const readRouteKeys = Object.values(queryRoutes).map((r) => `${r.method} ${r.path}`);
const readThrottle = {
  ThrottlingRateLimit: throttling.reads.rateLimitPerSecond,
  ThrottlingBurstLimit: throttling.reads.burstLimit,
};

/** The REST API stage (LocalStack target): its URLs end in `/api`, like the dashboard's. */
const restStageName = 'api';

/**
 * AWS target: an HTTP API. Throttling (rate and burst from settings) and JSON access logs are set
 * on the `$default` stage, which is created here explicitly because the HttpApi's implicit stage
 * takes neither.
 *
 * CORS allows any origin to POST (beacons come from any site; which sites count is decided per
 * org by the ingest handler from its allowed domains). GET is deliberately not in the preflight
 * answer: a read needs a key header, so a browser must preflight it, and only the dashboard —
 * which reaches the API same-origin through CloudFront `/api/*` — can read.
 */
export class HttpPublicApi extends MeteredApi implements PublicApi {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly url: string;
  readonly domainName: string;

  constructor(scope: Construct, id: string, props: { logRemovalPolicy: RemovalPolicy }) {
    super(scope, id);
    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Page-view analytics: POST /visits (beacons), GET /visits (dashboard)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: ['*'],
        allowMethods: [CorsHttpMethod.POST],
        allowHeaders: corsHeaders,
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: throttling.rateLimitPerSecond, burstLimit: throttling.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: accessLogFields(),
      },
    });
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      readRouteKeys.map((key) => [key, readThrottle]),
    );
    // apiEndpoint is https://{id}.execute-api.{region}.{suffix}, with no trailing slash.
    this.url = this.api.apiEndpoint;
    this.domainName = `${this.api.apiId}.execute-api.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`;
  }

  addLambdaRoute(id: string, route: Route, fn: IFunction): void {
    const added = this.api.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration: new HttpLambdaIntegration(`${id}Integration`, fn),
    });
    // Route settings name routes by key: the stage is updated only once they exist.
    for (const httpRoute of added) this.stage.node.addDependency(httpRoute);
  }
}

/**
 * LocalStack target: LocalStack's free plan has no HTTP APIs, so the same routes go on a REST
 * API with Lambda proxy integrations. The handlers accept both event versions. Same throttling
 * and access logs, so the two targets differ only in the API flavour.
 */
export class RestPublicApi extends MeteredApi implements PublicApi {
  readonly api: RestApi;
  readonly accessLogs: LogGroup;
  readonly url: string;

  constructor(
    scope: Construct,
    id: string,
    props: {
      logRemovalPolicy: RemovalPolicy;
      /** LocalStack's edge host and port; its CloudFormation answers AWS-style URLs that do not resolve locally. */
      localstackHost: string;
    },
  ) {
    super(scope, id);
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy,
    });
    this.api = new RestApi(this, 'RestApi', {
      description: 'Page-view analytics (LocalStack): POST /visits, GET /visits',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: props.logRemovalPolicy,
      deployOptions: {
        stageName: restStageName,
        throttlingRateLimit: throttling.rateLimitPerSecond,
        throttlingBurstLimit: throttling.burstLimit,
        accessLogDestination: new RestLogDestination(this.accessLogs),
        accessLogFormat: accessLogFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        metricsEnabled: true,
        methodOptions: Object.fromEntries(
          Object.values(queryRoutes).map((r) => [
            `${r.path}/${r.method}`,
            {
              throttlingRateLimit: throttling.reads.rateLimitPerSecond,
              throttlingBurstLimit: throttling.reads.burstLimit,
            },
          ]),
        ),
      },
      // The dashboard is served from the S3 website endpoint, another origin than the API.
      defaultCorsPreflightOptions: {
        allowOrigins: Cors.ALL_ORIGINS,
        // PUT and DELETE: the dashboard saves and deletes segments.
        allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
        allowHeaders: corsHeaders,
        maxAge: Duration.seconds(cors.maxAgeSeconds),
      },
    });
    // LocalStack's documented host-style URL for a REST API stage. RestApi's own Endpoint output
    // is the AWS form, which does not resolve on LocalStack: the stack prints this one instead.
    this.url = `http://${this.api.restApiId}.execute-api.${props.localstackHost}/${restStageName}`;
    this.api.node.tryRemoveChild('Endpoint');
  }

  addLambdaRoute(_id: string, route: Route, fn: IFunction): void {
    const resource = this.api.root.resourceForPath(route.path);
    resource.addMethod(route.method, new LambdaIntegration(fn, { proxy: true }));
  }
}
