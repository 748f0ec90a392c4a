import { Text } from "@react-email/components";
import { ActionButton, EmailLayout, oneLine, styles } from "../lib/email/layout";

export type SignInEmailProps = {
  /** The magic link (single use). */
  url: string;
  /** Host the user is signing in to, e.g. "keygate.example.com". */
  host: string;
};

export function signInSubject(props: Pick<SignInEmailProps, "host">): string {
  return oneLine(`Sign in to Keygate (${props.host})`);
}

export default function SignInEmail({ url, host }: SignInEmailProps) {
  return (
    <EmailLayout
      preview={`Your sign-in link for ${host}`}
      heading={`Sign in to ${host}`}
      footer={
        <Text style={styles.muted}>
          If you did not request this email, you can safely ignore it. Nobody can sign in without this link.
        </Text>
      }
    >
      <Text style={styles.text}>
        Use the button below to sign in to Keygate at <strong>{host}</strong>. The link can be used only once.
      </Text>
      <ActionButton href={url} label="Sign in" />
    </EmailLayout>
  );
}

SignInEmail.PreviewProps = {
  url: "https://keygate.example.com/api/auth/callback/email?token=preview-token&email=ada%40example.com",
  host: "keygate.example.com",
} satisfies SignInEmailProps;
