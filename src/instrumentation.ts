// Runs once when the server starts. Validating the environment here makes a missing or weak secret stop start-up
// with the variable's name instead of failing on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { loadEnv } = await import("@/lib/env");
  loadEnv();
}
