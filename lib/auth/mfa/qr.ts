import QRCode from 'qrcode';

/**
 * The enrolment QR code, drawn on the server as SVG and handed to the page as a data: URL (allowed by the pages'
 * CSP, img-src 'self' data:), so no script and no third party ever sees the otpauth:// URI.
 */
export async function totpQrSvgDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2, color: { dark: '#0f172a', light: '#ffffff' } });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
