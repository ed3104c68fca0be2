"use client";
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import {
  createSessionStore,
  type SessionData,
  type SessionError,
  type SessionOrganization,
  type SessionStore,
  type SessionUser,
} from "./session-store";

const SessionContext = createContext<SessionStore | null>(null);

// Components outside any provider share one store per page.
let pageStore: SessionStore | null = null;
function defaultStore(): SessionStore {
  pageStore ??= createSessionStore();
  return pageStore;
}

export type SessionProviderProps = {
  children: ReactNode;
  store?: SessionStore;
  /** Session the server rendered with. */ initial?: SessionData;
};

export function SessionProvider({ children, store, initial }: SessionProviderProps) {
  const [value] = useState(() => store ?? (initial ? createSessionStore({ initial }) : defaultStore()));
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export type UseSession = {
  status: "idle" | "loading" | "ready" | "error";
  user: SessionUser | null;
  organizations: SessionOrganization[];
  error: SessionError | null;
  refresh: () => Promise<unknown>;
  retry: () => Promise<unknown>;
  signOut: () => Promise<void>;
};

export function useSession(): UseSession {
  const store = useContext(SessionContext) ?? defaultStore();
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getSnapshot);
  useEffect(() => {
    void store.load();
  }, [store]);
  return {
    status: state.status,
    user: state.data?.user ?? null,
    organizations: state.data?.organizations ?? [],
    error: state.error,
    refresh: store.refresh,
    retry: store.refresh,
    signOut: store.signOut,
  };
}
