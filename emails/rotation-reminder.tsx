import { KeyReminder, previewReminderKey, type ReminderKeyProps } from "../lib/email/key-reminder";
import { oneLine } from "../lib/email/layout";

export type RotationReminderEmailProps = ReminderKeyProps & {
  /** When the current secret was issued (the last rotation, or the key's creation). */
  secretSince: Date | string;
  /** The organization's rotation period, in days. */
  periodDays: number;
};

const describePeriod = (days: number) => (days === 1 ? "1 day" : `${days} days`);

export function rotationReminderSubject(props: Pick<RotationReminderEmailProps, "keyName">): string {
  return oneLine(`Access key "${props.keyName}" is due for rotation`);
}

export default function RotationReminderEmail(props: RotationReminderEmailProps) {
  const { keyName, project } = props;
  return (
    <KeyReminder
      reminderKey={props}
      preview={`The secret of "${keyName}" in ${project} is older than your organization's rotation period`}
      heading="An access key is due for rotation"
      intro={
        <>
          The secret of the S3 access key <strong>{keyName}</strong> in the project <strong>{project}</strong> is older than
          your organization&apos;s rotation period of <strong>{describePeriod(props.periodDays)}</strong>. The key keeps
          working; the key list shows it as &quot;Rotation due&quot;.
        </>
      }
      when={{ label: "Secret issued", date: props.secretSince }}
      advice="Rotate it in Keygate. To move running clients without downtime, keep the old secret valid for an overlap window."
      actionLabel="Rotate the key"
      reason="You receive this reminder because you own this key in Keygate. You get one per rotation period until the key is rotated."
    />
  );
}

RotationReminderEmail.PreviewProps = {
  ...previewReminderKey, secretSince: new Date("2025-04-01T09:30:00Z"), periodDays: 90,
} satisfies RotationReminderEmailProps;
