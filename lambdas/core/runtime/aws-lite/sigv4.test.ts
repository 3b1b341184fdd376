/**
 * The signer against AWS's published Signature Version 4 test suite (aws-sig-v4-test-suite:
 * AKIDEXAMPLE, us-east-1, service `service`, 2015-08-30T12:36:00Z; the expected Authorization
 * headers are AWS's). DynamoDB Local and the SQS emulator accept any signature, so these vectors
 * are what shows the signature AWS will check is right.
 */
import { describe, expect, it } from 'vitest';
import { amzDate, signRequest } from './sigv4.js';

const scope = {
  service: 'service',
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
};
const at = new Date('2015-08-30T12:36:00Z');
const example = 'https://example.amazonaws.com/';
const vanilla = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';

interface Vector {
  name: string;
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  body?: string;
  signed?: string;
  service?: string;
  signature: string;
}

const vectors: Vector[] = [
  { name: 'get-vanilla', signature: vanilla },
  { name: 'get-vanilla-empty-path', url: 'https://example.amazonaws.com', signature: vanilla },
  { name: 'get-slash-dot-slash', url: `${example}./`, signature: vanilla },
  { name: 'get-relative-relative', url: `${example}example1/example2/../..`, signature: vanilla },
  {
    name: 'get-slashes',
    url: `${example}/example//`,
    signature: '9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84',
  },
  {
    name: 'get-vanilla-query',
    url: `${example}?Param1=value1`,
    signature: 'a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb',
  },
  {
    name: 'get-vanilla-query-order-key-case',
    url: `${example}?Param2=value2&Param1=value1`,
    signature: 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500',
  },
  {
    name: 'get-vanilla-query-order-value',
    url: `${example}?Param1=value2&Param1=Value1`,
    signature: 'eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1',
  },
  {
    name: 'get-vanilla-utf8-query',
    url: `${example}?%E1%88%B4=bar`,
    signature: '2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04',
  },
  {
    name: 'get-header-value-trim',
    headers: { 'My-Header1': ' value1', 'My-Header2': ' "a   b   c"' },
    signed: 'host;my-header1;my-header2;x-amz-date',
    signature: 'acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736',
  },
  {
    name: 'post-vanilla',
    method: 'POST',
    signature: '5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b',
  },
  {
    name: 'post-vanilla-query',
    method: 'POST',
    url: `${example}?Param1=value1`,
    signature: '28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11',
  },
  {
    name: 'post-header-key-sort',
    method: 'POST',
    headers: { 'My-Header1': 'value1' },
    signed: 'host;my-header1;x-amz-date',
    signature: 'c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c',
  },
  {
    name: 'post-header-value-case',
    method: 'POST',
    headers: { 'My-Header1': 'VALUE1' },
    signed: 'host;my-header1;x-amz-date',
    signature: 'cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d',
  },
  {
    name: 'post-x-www-form-urlencoded (a signed body)',
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'Param1=value1',
    signed: 'content-type;host;x-amz-date',
    signature: 'ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a',
  },
  {
    name: "iam ListUsers (AWS's worked example)",
    service: 'iam',
    url: 'https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
    signed: 'content-type;host;x-amz-date',
    signature: '5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
  },
];

describe('SigV4 against AWS test suite', () => {
  it.each(vectors)('$name', (v) => {
    const headers = signRequest(
      {
        method: v.method ?? 'GET',
        url: new URL(v.url ?? example),
        headers: v.headers ?? {},
        body: v.body ?? '',
      },
      { ...scope, service: v.service ?? scope.service },
      at,
    );
    expect(headers.authorization).toBe(
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/${v.service ?? 'service'}/aws4_request, SignedHeaders=${v.signed ?? 'host;x-amz-date'}, Signature=${v.signature}`,
    );
    expect(headers['x-amz-date']).toBe('20150830T123600Z');
  });

  it('signs the session token of temporary credentials (a Lambda role) and sends it', () => {
    const withToken = { ...scope, credentials: { ...scope.credentials, sessionToken: 'token/with+chars=' } };
    const request = { method: 'POST', url: new URL(example), headers: {}, body: '' };
    const headers = signRequest(request, withToken, at);
    expect(headers['x-amz-security-token']).toBe('token/with+chars=');
    expect(headers.authorization).toContain('SignedHeaders=host;x-amz-date;x-amz-security-token,');
    // The token is part of what is signed: without it the signature differs.
    expect(headers.authorization).not.toBe(signRequest(request, scope, at).authorization);
  });

  it('formats the date as AWS wants it', () => {
    expect(amzDate(new Date('2026-12-03T09:05:07.123Z'))).toBe('20261203T090507Z');
  });
});
