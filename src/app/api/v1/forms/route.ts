// GET /api/v1/forms (API token, scope applications:read) : the organization's forms, the dashboard's handler.
export { GET } from "@/app/api/orgs/[slug]/forms/route";
