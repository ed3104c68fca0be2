// GET /api/v1/forms/[formSlug] (API token, scope applications:read) : one form with its questions and their keys,
// the names POST /api/v1/applications accepts answers under; the dashboard's handler.
export { GET } from "@/app/api/orgs/[slug]/forms/[formSlug]/route";
