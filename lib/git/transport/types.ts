// The HTTP client shape every transport implements (isomorphic-git's plugin shape, kept so the
// transports stay usable with it): a request with an optional streamed body, a response with a
// streamed body. The SSH transport answers the same requests over an SSH channel.
export interface GitHttpRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: AsyncIterableIterator<Uint8Array>;
}

export interface GitHttpResponse {
  url: string;
  method?: string;
  statusCode: number;
  statusMessage: string;
  headers?: Record<string, string>;
  body?: AsyncIterableIterator<Uint8Array>;
}

export interface HttpClient {
  request(request: GitHttpRequest): Promise<GitHttpResponse>;
}
