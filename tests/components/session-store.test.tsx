import { act, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { createSessionStore, type SessionData, type SessionStore } from "@/components/session/session-store";
import { SessionProvider, useSession } from "@/components/session/use-session";
import { server } from "~tests/msw/server";

const SESSION: SessionData = {
  user: { id: "u1", name: "Ada", avatar: null, discordUserId: "80351110224678912" },
  organizations: [{ slug: "acme", name: "Acme", role: "OWNER" }],
};

/** Serves /api/auth/session with the given answers in order (the last repeats) and counts the requests. */
function serveSession(...answers: Array<SessionData | number>) {
  const calls = { count: 0 };
  server.use(
    http.get("*/api/auth/session", async () => {
      const answer = answers[Math.min(calls.count, answers.length - 1)]!;
      calls.count++;
      // A little latency so the components really mount while the request is in flight.
      await new Promise((r) => setTimeout(r, 20));
      return typeof answer === "number"
        ? HttpResponse.json({ error: { code: "x" } }, { status: answer })
        : HttpResponse.json(answer);
    }),
  );
  return calls;
}

function Who({ label }: { label: string }) {
  const session = useSession();
  if (session.status === "error") {
    return (
      <div>
        <p>
          {label}: failed: {session.error?.message}
        </p>
        <button onClick={() => void session.retry()}>Retry {label}</button>
      </div>
    );
  }
  if (session.status !== "ready") return <p>{label}: loading</p>;
  return (
    <p>
      {label}: {session.user?.name ?? "signed out"} ({session.organizations.map((o) => o.slug).join(",")})
    </p>
  );
}

function renderThree(store: SessionStore) {
  return render(
    <SessionProvider store={store}>
      <Who label="header" />
      <Who label="sidebar" />
      <Who label="page" />
    </SessionProvider>,
  );
}

describe("useSession", () => {
  it("three components mounted together make one request and all receive the same user", async () => {
    const calls = serveSession(SESSION);
    renderThree(createSessionStore());
    expect(screen.getByText("header: loading")).toBeTruthy();
    for (const label of ["header", "sidebar", "page"]) {
      expect(await screen.findByText(`${label}: Ada (acme)`)).toBeTruthy();
    }
    expect(calls.count).toBe(1);
  });

  it("a failed load shows the error to every component, and retry loads the session", async () => {
    const calls = serveSession(503, SESSION);
    renderThree(createSessionStore());
    expect(await screen.findByText(/header: failed: .*HTTP 503/)).toBeTruthy();
    expect(screen.getByText(/sidebar: failed/)).toBeTruthy();
    expect(calls.count).toBe(1);

    await userEvent.click(screen.getByRole("button", { name: "Retry sidebar" }));
    expect(await screen.findByText("header: Ada (acme)")).toBeTruthy();
    expect(screen.getByText("page: Ada (acme)")).toBeTruthy();
    expect(calls.count).toBe(2);
  });

  it("a network failure is an error too, not a signed-out user", async () => {
    server.use(http.get("*/api/auth/session", () => HttpResponse.error()));
    renderThree(createSessionStore());
    expect(await screen.findByText(/header: failed: .*network/)).toBeTruthy();
  });

  it("makes no request when the session is already loaded", async () => {
    const calls = serveSession(SESSION);
    const store = createSessionStore();
    await store.load();
    expect(calls.count).toBe(1);
    renderThree(store);
    expect(screen.getByText("page: Ada (acme)")).toBeTruthy();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.count).toBe(1);
  });

  it("makes no request at all when the server rendered the session", async () => {
    const calls = serveSession(SESSION);
    render(
      <SessionProvider initial={SESSION}>
        <Who label="header" />
      </SessionProvider>,
    );
    expect(screen.getByText("header: Ada (acme)")).toBeTruthy();
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.count).toBe(0);
  });

  it("refresh() asks again and every component sees the new data", async () => {
    const renamed: SessionData = { ...SESSION, user: { ...SESSION.user!, name: "Grace" } };
    const calls = serveSession(SESSION, renamed);
    const store = createSessionStore();
    renderThree(store);
    expect(await screen.findByText("page: Ada (acme)")).toBeTruthy();
    await act(() => store.refresh());
    expect(screen.getByText("header: Grace (acme)")).toBeTruthy();
    expect(calls.count).toBe(2);
  });

  it("a response to a request older than the latest refresh is ignored", async () => {
    const slow: SessionData = { ...SESSION, user: { ...SESSION.user!, name: "Stale" } };
    let n = 0;
    server.use(
      http.get("*/api/auth/session", async () => {
        n++;
        if (n === 1) {
          await new Promise((r) => setTimeout(r, 80));
          return HttpResponse.json(slow);
        }
        return HttpResponse.json(SESSION);
      }),
    );
    const store = createSessionStore();
    const first = store.load();
    await store.refresh();
    await first;
    expect(store.getSnapshot().data?.user?.name).toBe("Ada");
  });

  it("sign-out resets every component to signed out, and a late response does not sign back in", async () => {
    const signOuts = { count: 0 };
    server.use(
      http.post("*/api/auth/logout", () => {
        signOuts.count++;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    serveSession(SESSION);
    const store = createSessionStore();
    renderThree(store);
    expect(await screen.findByText("sidebar: Ada (acme)")).toBeTruthy();
    let late: Promise<unknown> = Promise.resolve();
    act(() => {
      late = store.refresh();
    });
    await act(() => store.signOut());
    await act(async () => {
      await late;
    });
    expect(signOuts.count).toBe(1);
    expect(screen.getByText("header: signed out ()")).toBeTruthy();
    expect(screen.getByText("page: signed out ()")).toBeTruthy();
  });
});
