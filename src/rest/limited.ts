/**
 * A transport with bounded concurrency: at most `maxConcurrency` requests (page requests
 * included) of one driver in flight, the rest waiting their turn.
 *
 * @module
 */
import pLimit from 'p-limit';
import type { RestClient, RestRequest } from './client.js';
import type { NextPage } from './pages.js';

/** The transport with at most `maxConcurrency` requests (and page requests) in flight. */
export function limitedClient(transport: RestClient, maxConcurrency: number): RestClient {
  const limit = pLimit(maxConcurrency);
  return {
    provider: transport.provider,
    endpoint: transport.endpoint,
    request: (request) => limit(() => transport.request(request)),
    async *paginate<T>(first: RestRequest, nextPage: NextPage<T>) {
      const pages = transport.paginate<T>(first, nextPage);
      try {
        for (;;) {
          const step = await limit(() => pages.next());
          if (step.done) return;
          yield step.value;
        }
      } finally {
        await pages.return(undefined);
      }
    },
  };
}
