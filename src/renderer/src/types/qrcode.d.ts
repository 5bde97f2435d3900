// The browser half of qrcode, which is all the page uses: @types/qrcode also declares the Node half (files,
// streams) and so references Node's types, which the renderer's project keeps out (tsconfig.web.json paths).

/** Options of a QR code image. */
export interface QRCodeToDataURLOptions {
  margin?: number
  width?: number
  errorCorrectionLevel?: 'low' | 'medium' | 'quartile' | 'high' | 'L' | 'M' | 'Q' | 'H'
  color?: { dark?: string; light?: string }
}

/** A QR code of `text` as a PNG data URL. */
export function toDataURL(text: string, options?: QRCodeToDataURLOptions): Promise<string>

declare const QRCode: { toDataURL: typeof toDataURL }
export default QRCode
