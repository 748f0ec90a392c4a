import { Text } from "@react-email/components";
import { ActionButton, EmailLayout, Fact, formatDateTime, oneLine, styles, unlinkable } from "../lib/email/layout";

export type InvitationEmailProps = {
  orgName: string;
  inviterName: string;
  /** The inviting person's verified address: the recipient sees exactly who invited them. */
  inviterEmail: string;
  /** Role granted on acceptance, e.g. "admin" or "member". */
  role: string;
  acceptUrl: string;
  expiresAt: Date | string;
};

export function invitationSubject(props: Pick<InvitationEmailProps, "orgName" | "inviterEmail">): string {
  return oneLine(`${props.inviterEmail} invited you to join ${unlinkable(props.orgName)} on Keygate`);
}

export default function InvitationEmail(props: InvitationEmailProps) {
  const { role, acceptUrl, expiresAt, inviterEmail } = props;
  const orgName = unlinkable(props.orgName);
  const inviterName = unlinkable(props.inviterName);
  return (
    <EmailLayout
      preview={`${inviterEmail} invited you to join ${orgName} on Keygate`}
      heading={`Join ${orgName} on Keygate`}
      footer={
        <Text style={styles.muted}>
          If you were not expecting this invitation, you can ignore this email; nothing changes until it is accepted.
        </Text>
      }
    >
      <Text style={styles.text}>
        <strong>{inviterName}</strong> ({inviterEmail}) invited you to join the organization <strong>{orgName}</strong> as{" "}
        <strong>{role}</strong>.
      </Text>
      <Fact label="Invited by" value={inviterEmail} />
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
  inviterEmail: "grace@acme.example",
  role: "admin",
  acceptUrl: "https://keygate.example.com/invitations/preview-token",
  expiresAt: new Date("2025-07-08T12:00:00Z"),
} satisfies InvitationEmailProps;
