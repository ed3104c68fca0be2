// GET /api/v1/applications/export?status=&q= (API token, scope applications:read): the same handler as the
// dashboard's export; without [slug] in this URL it takes API tokens only.
export { GET } from "@/app/api/orgs/[slug]/applications/export/route";
