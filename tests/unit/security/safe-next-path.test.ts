import { expect, it } from "vitest";
import { safeNextPath } from "@/lib/security/discord-sign-in";

it("keeps same-site paths with their query and fragment", () => {
  for (const path of [
    "/",
    "/dashboard",
    "/dashboard/acme/applications?status=PENDING",
    "/dashboard#top",
    "/a%2Fb",
    "/%2F%2Fevil.example",
  ]) {
    expect(safeNextPath(path)).toBe(path);
  }
});

it("refuses what a browser would turn into another origin", () => {
  const unsafe = [
    "//evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/\t/evil.example", // browsers strip tab and newline from URLs: "/\t/x" becomes "//x"
    "/\n/evil.example",
    "/\r/evil.example",
    "/\t\\evil.example",
    "/\u0000/evil.example",
    "/\u001f/evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example",
    " /evil",
    "",
  ];
  for (const value of unsafe) expect(safeNextPath(value), JSON.stringify(value)).toBeUndefined();
});

it("refuses the decoded forms of encoded tricks (searchParams decode once before we see them)", () => {
  for (const encoded of [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%5Cevil.example",
    "%2F%2Fevil.example",
    "/%0D/evil.example",
  ]) {
    expect(safeNextPath(decodeURIComponent(encoded)), encoded).toBeUndefined();
  }
});

it("refuses missing and overlong values", () => {
  expect(safeNextPath(undefined)).toBeUndefined();
  expect(safeNextPath(null)).toBeUndefined();
  expect(safeNextPath(`/${"a".repeat(600)}`)).toBeUndefined();
});
