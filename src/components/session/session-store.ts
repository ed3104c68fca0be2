// The browser's view of "who is signed in". One store per page: every component that calls useSession() shares
// it, so any number of components mounting together cause one /api/auth/session request (the in-flight promise
// is shared), and nobody ever reads a half-initialised null while a load is running (the race in ticket 7).

export type SessionUser = { id: string; name: string; avatar: string | null; discordUserId: string };
export type SessionOrganization = { slug: string; name: string; role: string };
export type SessionData = { user: SessionUser | null; organizations: SessionOrganization[] };

export type SessionError = { message: string; status?: number };

export type SessionState =
  | { status: "idle"; data: null; error: null }
  | { status: "loading"; data: SessionData | null; error: null }
  | { status: "ready"; data: SessionData; error: null }
  | { status: "error"; data: SessionData | null; error: SessionError };

export type SessionStore = {
  getSnapshot: () => SessionState;
  subscribe: (listener: () => void) => () => void;
  /** Loads once: resolves at once when ready, joins the request in flight, or starts one. */
  load: () => Promise<SessionState>;
  /** Always asks the server again; a response to an older request is ignored. */
  refresh: () => Promise<SessionState>;
  /** Signs out on the server (when a URL is configured) and forgets the session. */
  signOut: () => Promise<void>;
  /** Forgets everything: the next load() asks the server again. */
  reset: () => void;
};

export type CreateSessionStoreOptions = {
  url?: string;
  signOutUrl?: string;
  fetch?: typeof fetch;
  /** Data the server already rendered with; the store starts ready and makes no request. */
  initial?: SessionData;
};

const IDLE: SessionState = { status: "idle", data: null, error: null };

export function createSessionStore(options: CreateSessionStoreOptions = {}): SessionStore {
  const url = options.url ?? "/api/auth/session";
  const signOutUrl = options.signOutUrl ?? "/api/auth/logout";
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let state: SessionState = options.initial ? { status: "ready", data: options.initial, error: null } : IDLE;
  let inFlight: Promise<SessionState> | null = null;
  // Bumped by refresh() and reset(): a response belonging to an older generation is dropped.
  let generation = 0;
  const listeners = new Set<() => void>();

  const set = (next: SessionState) => {
    state = next;
    for (const listener of listeners) listener();
  };

  const request = (): Promise<SessionState> => {
    const mine = ++generation;
    set({ status: "loading", data: state.data, error: null });
    const promise = fetchSession(doFetch, url).then(
      (data): SessionState => ({ status: "ready", data, error: null }),
      (error: unknown): SessionState => ({ status: "error", data: state.data, error: toSessionError(error) }),
    );
    inFlight = promise.then((result) => {
      if (mine === generation) {
        inFlight = null;
        set(result);
      }
      return state;
    });
    return inFlight;
  };

  return {
    getSnapshot: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    load() {
      if (state.status === "ready" || state.status === "error") return Promise.resolve(state);
      return inFlight ?? request();
    },
    refresh: () => request(),
    async signOut() {
      try {
        await doFetch(absolute(signOutUrl), { method: "POST", credentials: "same-origin" });
      } finally {
        generation++;
        inFlight = null;
        set({ status: "ready", data: { user: null, organizations: [] }, error: null });
      }
    },
    reset() {
      generation++;
      inFlight = null;
      set(IDLE);
    },
  };
}

// Node's fetch (tests, jsdom) does not resolve relative URLs against the page the way a browser does.
function absolute(url: string): string {
  return typeof location === "undefined" ? url : new URL(url, location.href).toString();
}

class SessionRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

async function fetchSession(doFetch: typeof fetch, url: string): Promise<SessionData> {
  const response = await doFetch(absolute(url), {
    credentials: "same-origin",
    headers: { accept: "application/json" },
  });
  if (!response.ok)
    throw new SessionRequestError(`The session could not be loaded (HTTP ${response.status}).`, response.status);
  const body = (await response.json()) as Partial<SessionData>;
  return { user: body.user ?? null, organizations: Array.isArray(body.organizations) ? body.organizations : [] };
}

function toSessionError(error: unknown): SessionError {
  if (error instanceof SessionRequestError) return { message: error.message, status: error.status };
  return { message: "The session could not be loaded: the network request failed." };
}
