"use server";

import { revalidatePath } from "next/cache";
import type { ActionResult } from "@/lib/action-result";
import { requireOrgContext } from "@/lib/auth/page-context";
import { getDb } from "@/lib/db";
import { createProject } from "@/lib/projects/projects";
import { formToObject, runAction } from "@/lib/run-action";

export async function createProjectAction(orgId: string, _prev: ActionResult, form: FormData): Promise<ActionResult> {
  const ctx = await requireOrgContext(orgId);
  const result = await runAction(() => createProject(getDb(), ctx, formToObject(form) as { name: string }), "Project created");
  if (result.ok) revalidatePath(`/orgs/${orgId}`, "layout");
  return result;
}
