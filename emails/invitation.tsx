import { Text } from "@react-email/components";
import { ActionButton, EmailLayout, Fact, formatDateTime, oneLine, styles } from "../lib/email/layout";

export type InvitationEmailProps = {
  orgName: string;
  inviterName: string;
  /** Role granted on acceptance, e.g. "admin" or "member". */
  role: string;
  acceptUrl: string;
  expiresAt: Date | string;
};

export function invitationSubject(props: Pick<InvitationEmailProps, "orgName" | "inviterName">): string {
  return oneLine(`${props.inviterName} invited you to join ${props.orgName} on Keygate`);
}

export default function InvitationEmail({ orgName, inviterName, role, acceptUrl, expiresAt }: InvitationEmailProps) {
  return (
    <EmailLayout
      preview={`${inviterName} invited you to join ${orgName} on Keygate`}
      heading={`Join ${orgName} on Keygate`}
      footer={
        <Text style={styles.muted}>
          If you were not expecting this invitation, you can ignore this email; nothing changes until it is accepted.
        </Text>
      }
    >
      <Text style={styles.text}>
        <strong>{inviterName}</strong> invited you to join the organization <strong>{orgName}</strong> as{" "}
        <strong>{role}</strong>.
      </Text>
      <Fact label="Organization" value={orgName} />
      <Fact label="Role" value={role} />
      <Fact label="Invitation expires" value={formatDateTime(expiresAt)} />
      <ActionButton href={acceptUrl} label="Accept invitation" />
    </EmailLayout>
  );
}

InvitationEmail.PreviewProps = {
  orgName: "Acme Storage",
  inviterName: "Grace Hopper",
  role: "admin",
  acceptUrl: "https://keygate.example.com/invitations/preview-token",
  expiresAt: new Date("2025-07-08T12:00:00Z"),
} satisfies InvitationEmailProps;
