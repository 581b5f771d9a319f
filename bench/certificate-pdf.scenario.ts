import { performance } from 'node:perf_hooks';
import { renderCertificatePdf } from '../src/modules/certificate/certificate.pdf';
import type { CertificateDocument } from '../src/modules/certificate/certificate-document';
import type { TimedScenario } from './harness';

/** Renders timed (`BENCH_PDF_RENDERS`), after a warm-up that also loads and parses the fonts. */
const RENDERS = Number(process.env.BENCH_PDF_RENDERS ?? 400);
const WARMUP = 20;

/** A certificate like the demo's, with a different holder per render (different glyph subsets). */
function certificate(i: number): CertificateDocument {
  const holders = ['张伟', '王芳', '李娜', '刘洋', '陈静', '欧阳明', '赵丽颖', 'Alex Chen'];
  return {
    number: `HZTEL-2026-${String(i).padStart(6, '0')}`,
    holderName: holders[i % holders.length],
    organizationName: '中国电信杭州分公司',
    courseTitle: { 'zh-CN': '客户服务礼仪与沟通技巧', en: 'Customer Service Etiquette' },
    courseCode: 'CS-101',
    issuedAt: new Date(Date.UTC(2026, 0, 1 + (i % 300))),
    validFrom: new Date(Date.UTC(2026, 0, 1 + (i % 300))),
    validUntil: new Date(Date.UTC(2027, 0, 1 + (i % 300))),
    status: 'ACTIVE',
    revokedAt: null,
    score: 60 + (i % 41),
    verificationUrl: `https://coursegraph.example.com/verify/7Q2M4K9XW3TZP8RB5VNC${String(i).padStart(4, '0')}`,
  };
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Certificate PDF render time in this process (fonts in memory), zh-CN and en alternating. */
export const certificatePdfScenario: TimedScenario = {
  name: 'certificate-pdf',
  async run() {
    const started = performance.now();
    await renderCertificatePdf(certificate(0), 'zh-CN');
    const firstMs = performance.now() - started;
    for (let i = 1; i <= WARMUP; i++) await renderCertificatePdf(certificate(i), i % 2 ? 'en' : 'zh-CN');
    const times: number[] = [];
    let bytes = 0;
    // CPU time as well as wall time: on a shared machine the wall time mostly measures the others.
    const cpu = process.cpuUsage();
    for (let i = 0; i < RENDERS; i++) {
      const t = performance.now();
      const pdf = await renderCertificatePdf(certificate(i), i % 2 ? 'en' : 'zh-CN');
      times.push(performance.now() - t);
      bytes += pdf.length;
    }
    const { user, system } = process.cpuUsage(cpu);
    times.sort((a, b) => a - b);
    const ms = (n: number): string => `${n.toFixed(1).padStart(6)} ms`;
    return (
      `  ${RENDERS} renders   p50 ${ms(percentile(times, 50))}   p99 ${ms(percentile(times, 99))}   max ${ms(times[times.length - 1])}\n` +
      `  CPU ${((user + system) / 1000 / RENDERS).toFixed(1)} ms per render, mean size ${(bytes / RENDERS / 1024).toFixed(1)} KB, ` +
      `first render (reads and parses the fonts) ${firstMs.toFixed(0)} ms`
    );
  },
};
