/**
 * One error class per client failure. The HTTP layer answers these with their status and
 * message; anything else is a 5xx whose details stay in the logs.
 */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** A client error class of its own (so `instanceof` tells them apart), with its name and status. */
function clientError(name: string, statusCode: number) {
  return class extends HttpError {
    override name = name;
    constructor(message: string) {
      super(statusCode, message);
    }
  };
}

export const BadRequestError = clientError('BadRequestError', 400);
export const UnauthorizedError = clientError('UnauthorizedError', 401);
export const ForbiddenError = clientError('ForbiddenError', 403);
export const NotFoundError = clientError('NotFoundError', 404);
export const ConflictError = clientError('ConflictError', 409);
export const PayloadTooLargeError = clientError('PayloadTooLargeError', 413);
export const UnsupportedMediaTypeError = clientError('UnsupportedMediaTypeError', 415);

/** 429: a limit was reached. `retryAfterSeconds` becomes the Retry-After header. */
export class TooManyRequestsError extends HttpError {
  override name = 'TooManyRequestsError';
  constructor(
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(429, message);
  }
}
