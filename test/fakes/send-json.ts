/**
 * One raw request to a loopback fake, as an API client would send it: the bearer token (none when
 * `token` is null), and a JSON body (a string is sent as it is, to test bodies clients really send).
 * For the spec tests, which check what a fake accepts and refuses without a driver in between.
 */
export async function sendJson<T>(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  token: string | null,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}
