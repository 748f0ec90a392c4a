/** The console page of a key, as linked from emails (reminders, leak reports). */
export function keyPageUrl(publicUrl: string, orgId: string, keyId: string): string {
  return `${publicUrl.replace(/\/$/, "")}/orgs/${orgId}/keys/${keyId}`;
}
