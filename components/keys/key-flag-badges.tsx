import { Badge } from "@/components/ui/badge";
import { formatAbsolute } from "@/components/ui/relative-time";

type Props = { outsidePolicy?: string[]; rotationDue?: boolean; previousSecretUntil?: Date | null; imported?: boolean };

/**
 * What a key row says beyond its status: rules of the organization's key policy it breaks
 * (adopted after it was made; the key is never changed), a secret older than the rotation
 * period, an open rotation overlap window (the previous secret still works), and a pair imported from another S3 service.
 */
export function KeyFlagBadges({ outsidePolicy, rotationDue, previousSecretUntil, imported }: Props) {
  return (
    <>
      {!!outsidePolicy?.length && <Badge variant="warning" className="shrink-0" title={outsidePolicy.join("; ")}>Outside policy</Badge>}
      {rotationDue && <Badge variant="warning" className="shrink-0">Rotation due</Badge>}
      {previousSecretUntil && (
        <Badge variant="accent" className="shrink-0" title={`The previous secret works until ${formatAbsolute(previousSecretUntil)}`}>Overlap</Badge>
      )}
      {imported && <Badge variant="outline" className="shrink-0" title="Imported from another S3 service: the secret has no Keygate checksum">Imported</Badge>}
    </>
  );
}
