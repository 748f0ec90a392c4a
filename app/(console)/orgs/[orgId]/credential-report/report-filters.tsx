import { buttonClasses } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import type { CredentialReportFilters, Finding } from "@/lib/reports/credential-report";

type Props = { filters: CredentialReportFilters; projects: { id: string; name: string }[]; findingLabels: Record<Finding, string> };

const label = "block text-xs font-medium text-gray-600";

/** A plain GET form: the filters live in the URL, so a report can be bookmarked and shared. */
export function ReportFilters({ filters, projects, findingLabels }: Props) {
  return (
    <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Report filters">
      <div className="w-44 space-y-1">
        <label htmlFor="f-project" className={label}>Project</label>
        <Select id="f-project" name="projectId" defaultValue={filters.projectId ?? ""}>
          <option value="">All projects</option>
          {projects.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </Select>
      </div>
      <div className="w-40 space-y-1">
        <label htmlFor="f-kind" className={label}>Kind</label>
        <Select id="f-kind" name="kind" defaultValue={filters.kind ?? ""}>
          <option value="">All kinds</option><option value="MASTER">Master</option><option value="SUB">Sub</option><option value="USER">Region key pair</option>
        </Select>
      </div>
      <div className="w-40 space-y-1">
        <label htmlFor="f-status" className={label}>Status</label>
        <Select id="f-status" name="status" defaultValue={filters.status}>
          <option value="live">Active or disabled</option><option value="active">Active</option><option value="disabled">Disabled</option>
          <option value="expired">Expired</option><option value="revoked">Revoked</option><option value="all">All</option>
        </Select>
      </div>
      <div className="w-44 space-y-1">
        <label htmlFor="f-finding" className={label}>Finding</label>
        <Select id="f-finding" name="finding" defaultValue={filters.finding ?? ""}>
          <option value="">Any or none</option><option value="any">Any finding</option>
          {(Object.keys(findingLabels) as Finding[]).map((f) => <option key={f} value={f}>{findingLabels[f]}</option>)}
        </Select>
      </div>
      <div className="w-32 space-y-1">
        <label htmlFor="f-unused" className={label}>Unused after (days)</label>
        <Input id="f-unused" name="unusedDays" type="number" min={1} max={3650} defaultValue={filters.unusedDays} />
      </div>
      <button type="submit" className={buttonClasses({ variant: "secondary", size: "md" })}>Apply</button>
    </form>
  );
}
