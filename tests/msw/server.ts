// The one msw server for every test: no test can reach the network. Outside services register their default
// handlers here (the Discord fake does); a test overrides one path with server.use(...).
import { setupServer } from "msw/node";

export const server = setupServer();
