import nodemailer, { type Transporter } from 'nodemailer';

/**
 * Email through the SMTP server of SMTP_URL (smtp:// or smtps://, user and password in the URL if needed), from
 * SMTP_FROM. Without SMTP_URL the console says so and offers webhooks only.
 */
export type Mailer = {
  send(message: { to: string[]; subject: string; text: string }): Promise<{ responseCode: number | null }>;
};

export type SmtpConfig = { url: string; from: string };

export function smtpConfig(env: Record<string, string | undefined> = process.env): SmtpConfig | null {
  const url = env.SMTP_URL?.trim();
  if (!url) return null;
  return { url, from: env.SMTP_FROM?.trim() || 'Tenant Security Console <no-reply@localhost>' };
}

export const smtpConfigured = () => smtpConfig() !== null;

/** SMTP's reply code (250, 550, ...) from nodemailer's response line or error, for the delivery log. */
export function smtpCode(text: unknown): number | null {
  const m = /^(\d{3})[\s-]/.exec(String(text ?? ''));
  return m ? Number(m[1]) : null;
}

export function createMailer(config: SmtpConfig): Mailer {
  const transport: Transporter = nodemailer.createTransport(config.url, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as never);
  return {
    async send({ to, subject, text }) {
      // Each recipient sees only their own address (Bcc), not the other administrators' and addresses.
      const info = await transport.sendMail({ from: config.from, bcc: to, subject, text });
      return { responseCode: smtpCode(info.response) };
    },
  };
}
