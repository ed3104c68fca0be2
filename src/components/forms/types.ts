// What the forms pages show of a form (src/lib/forms/dto.ts).
export type FormView = {
  id: string;
  slug: string;
  name: string;
  description: string;
  isOpen: boolean;
  isDefault: boolean;
  roleRule: {
    approveAddRoleIds: string[];
    approveRemoveRoleIds: string[];
    rejectAddRoleId: string | null;
    restoreOnRevoke: boolean;
  };
  /** Null: the organization's default (Settings → Applicants). */
  requirements?: { minAccountAgeDays: number | null; rejectCooldownDays: number | null };
};

export const formsApi = (slug: string) => `/api/orgs/${encodeURIComponent(slug)}/forms`;
