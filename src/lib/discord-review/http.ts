// The interactions endpoint's HTTP side, shared by the platform URL and the per-application URLs: the raw body
// (bounded; the signature covers its exact bytes), the two signature headers, one call, the answer mapped.
import { after } from "next/server";
import { AppError } from "@/lib/errors/app-error";
import { json, readTextLimited } from "@/lib/http/route";
import { handleDiscordInteraction } from "./interactions";

const MAX_BODY_BYTES = 64 * 1024;

export async function interactionEndpoint(request: Request, applicationId: string | null): Promise<Response> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new AppError("payload_too_large", "An interaction is at most 64 KB.");
  const rawBody = await readTextLimited(request, MAX_BODY_BYTES);
  const reply = await handleDiscordInteraction({
    applicationId,
    rawBody,
    signature: request.headers.get("x-signature-ed25519"),
    timestamp: request.headers.get("x-signature-timestamp"),
  });
  if (reply.kind === "unauthorized") throw new AppError("unauthorized", "The request signature is not valid.");
  if (reply.kind === "bad_request") throw new AppError("bad_request", reply.message);
  if (reply.continuation) after(reply.continuation);
  return json(reply.body);
}
