import { KeyReminder } from "../lib/email/key-reminder";
import { oneLine } from "../lib/email/layout";

export type RotationReminderEmailProps = {
  keyName: string;
  project: string;
  /** When the current secret was issued (the last rotation, or the key's creation). */
  secretSince: Date | string;
  /** The organization's rotation period, in days. */
  periodDays: number;
  keyUrl: string;
};

const describePeriod = (days: number) => (days === 1 ? "1 day" : `${days} days`);

export function rotationReminderSubject(props: Pick<RotationReminderEmailProps, "keyName">): string {
  return oneLine(`Access key "${props.keyName}" is due for rotation`);
}

export default function RotationReminderEmail({ keyName, project, secretSince, periodDays, keyUrl }: RotationReminderEmailProps) {
  return (
    <KeyReminder
      preview={`The secret of "${keyName}" in ${project} is older than your organization's rotation period`}
      heading="An access key is due for rotation"
      intro={
        <>
          The secret of the S3 access key <strong>{keyName}</strong> in the project <strong>{project}</strong> is older than
          your organization&apos;s rotation period of <strong>{describePeriod(periodDays)}</strong>. The key keeps
          working; the key list shows it as &quot;Rotation due&quot;.
        </>
      }
      keyName={keyName}
      project={project}
      when={{ label: "Secret issued", date: secretSince }}
      advice="Rotate it in Keygate. To move running clients without downtime, keep the old secret valid for an overlap window."
      action={{ href: keyUrl, label: "Rotate the key" }}
      reason="You receive this reminder because you own this key in Keygate. You get one per rotation period until the key is rotated."
    />
  );
}

RotationReminderEmail.PreviewProps = {
  keyName: "ci-uploader",
  project: "website-assets",
  secretSince: new Date("2025-04-01T09:30:00Z"),
  periodDays: 90,
  keyUrl: "https://keygate.example.com/orgs/acme/keys/ckey123",
} satisfies RotationReminderEmailProps;
