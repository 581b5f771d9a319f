import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';

/** The two weights a certificate uses: Noto Sans SC covers Chinese and Latin alike. */
export interface CertificateFonts {
  regular: fontkit.Font;
  bold: fontkit.Font;
}

/*
 * TrueType files (pdfkit accepts WOFF2 too, but then draws no text at all), from an npm package
 * so no system font is needed. Each is about 11 MB; the PDF gets only the glyphs it uses.
 */
const FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
};

let loaded: CertificateFonts | undefined;

function load(file: string): fontkit.Font {
  const font = fontkit.create(readFileSync(require.resolve(file)));
  if (!('layout' in font)) throw new Error(`${file} is a font collection, not a font`);
  return font;
}

/**
 * The fonts, read and parsed on first use and then kept: handing pdfkit the parsed font (rather
 * than the bytes) skips re-parsing 11 MB tables per document and keeps glyph layouts cached,
 * which makes a render about four times faster.
 */
export function certificateFonts(): CertificateFonts {
  loaded ??= { regular: load(FILES.regular), bold: load(FILES.bold) };
  return loaded;
}
