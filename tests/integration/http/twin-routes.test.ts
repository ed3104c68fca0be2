// The v1 API and the dashboard's org routes that return the same data are one handler (auth "either"), so they
// cannot drift apart: the v1 URL re-exports the org route's GET, and the org URL takes the organization's tokens.
import { expect, it } from "vitest";
import * as orgApplications from "@/app/api/orgs/[slug]/applications/route";
import * as orgExport from "@/app/api/orgs/[slug]/applications/export/route";
import * as orgForm from "@/app/api/orgs/[slug]/forms/[formSlug]/route";
import * as orgForms from "@/app/api/orgs/[slug]/forms/route";
import * as v1Applications from "@/app/api/v1/applications/route";
import * as v1Export from "@/app/api/v1/applications/export/route";
import * as v1Form from "@/app/api/v1/forms/[formSlug]/route";
import * as v1Forms from "@/app/api/v1/forms/route";
import { apiTokenFor } from "~tests/helpers/applications";
import { createOrgWithMember, paramsOf, TEST_ORIGIN } from "~tests/helpers/auth";

it("each v1 read is the org route's handler", () => {
  expect(v1Applications.GET).toBe(orgApplications.GET);
  expect(v1Export.GET).toBe(orgExport.GET);
  expect(v1Forms.GET).toBe(orgForms.GET);
  expect(v1Form.GET).toBe(orgForm.GET);
});

it("an API token reads its organization's export at either URL, with the same file name", async () => {
  const { organization } = await createOrgWithMember("OWNER");
  const { authorization } = await apiTokenFor(organization.id, ["applications:read"]);
  const headers = { authorization };
  const atOrg = await orgExport.GET(
    new Request(`${TEST_ORIGIN}/api/orgs/${organization.slug}/applications/export`, { headers }),
    paramsOf({ slug: organization.slug }),
  );
  const atV1 = await v1Export.GET(new Request(`${TEST_ORIGIN}/api/v1/applications/export`, { headers }), paramsOf({}));
  for (const response of [atOrg, atV1]) {
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toContain(`applications-${organization.slug}-`);
  }
  expect(await atOrg.text()).toBe(await atV1.text());
});
