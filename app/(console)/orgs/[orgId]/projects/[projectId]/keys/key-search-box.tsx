import { GetForm } from "@/components/forms/get-form";
import { Search } from "lucide-react";
import { Input } from "@/components/ui/input";

/**
 * A GET form: the search lives in the URL (?q=), so it survives reloads and can be linked;
 * submitted as a client navigation (the form is aria-busy until the results arrive).
 */
export function KeySearchBox({ action, q, status }: { action: string; q?: string; status?: string }) {
  return (
    <GetForm action={action} role="search" className="flex max-w-md items-center gap-2">
      {status && <input type="hidden" name="status" value={status} />}
      <Search aria-hidden="true" className="size-4 text-gray-500" />
      <Input type="search" name="q" defaultValue={q ?? ""} maxLength={100} aria-label="Search keys by name, description or access key ID"
        placeholder="Search by name, description or access key ID" />
    </GetForm>
  );
}
