/**
 * Starts one DynamoDB Local and one SQS emulator for the whole test run and hands their
 * endpoints to the test files (`inject('dynamoEndpoint')`, `inject('sqsEndpoint')`).
 */
import type { TestProject } from 'vitest/node';
import { startDynamoLocal, startSqsEmulator } from '../local/emulators.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sqsEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const [dynamo, sqs] = await Promise.all([startDynamoLocal(), startSqsEmulator()]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sqsEndpoint', sqs.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), sqs.stop()]);
  };
}
