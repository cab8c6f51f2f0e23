// The request being served, carried through async calls (set by the server per request), so
// domain events and audit lines name their request id and source address without every
// service signature passing them along. Outside a request (CLI, gc runs) it is empty.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestContext {
  address: string;
  request_id: string;
}

export const requestContext = new AsyncLocalStorage<RequestContext>();
