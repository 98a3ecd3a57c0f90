// "Computer details": what the customer's support app reported
// (docs/remote-control.md, "Diagnostics"): the system, processor, memory,
// disks, network interfaces and the processes using the most memory (at most
// 50, in a scrolling table), sizes in binary units (KiB, MiB, GiB). Shown by
// the console beside a session and by the Management Center on a session's page.
import { useId } from 'preact/hooks';
import { formatDateTime, formatDuration, localeFor } from './format';
import { useI18n, type MessageKey } from './i18n';
import './diagnostics.css';

/** The report as the app sends it; every part may be missing. */
export interface DiagnosticsData {
  os?: { name?: string; kernel?: string; hostname?: string; uptime_s?: number };
  cpu?: { model?: string; cores?: number; load?: number[] };
  memory?: { total_kb?: number; available_kb?: number };
  disks?: { mount?: string; fs?: string; total_kb?: number; free_kb?: number }[];
  network?: { name?: string; addresses?: string[]; mac?: string }[];
  processes?: { pid?: number; name?: string; rss_kb?: number; cpu_s?: number }[];
}

export interface Diagnostics {
  data: DiagnosticsData;
  /** When the server got it, in milliseconds (0: not known). */
  at: number;
}

const MAX_PROCESSES = 50;

/** A size given in KiB as people read it: "512 KiB", "1.5 MiB", "15.6 GiB". */
export function formatKib(lang: string, kib: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = Math.max(0, kib);
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit >= 1 && value < 100 ? 1 : 0;
  return `${new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const list = <T,>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

export interface DiagnosticsViewProps {
  diagnostics: Diagnostics;
  /** The title's heading level (the tables' titles are one below): 3 in the console's side column, 2 on a page. */
  level?: 2 | 3;
  /** Extra classes of the section (e.g. the Management Center's `card`). */
  class?: string;
  /** When it was received, as text (default: the date and time in the browser's time zone). */
  formatAt?: (ms: number) => string;
}

export function DiagnosticsView({ diagnostics, level = 3, class: extra, formatAt }: DiagnosticsViewProps) {
  const { t, lang } = useI18n();
  const titleId = useId();
  const { at } = diagnostics;
  const data: DiagnosticsData =
    typeof diagnostics.data === 'object' && diagnostics.data !== null ? diagnostics.data : {};
  const Title = level === 2 ? 'h2' : 'h3';
  const Subtitle = level === 2 ? 'h3' : 'h4';
  const decimal = (v: number) => new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: 2 }).format(v);
  const size = (v: unknown) => {
    const n = num(v);
    return n === undefined ? '' : formatKib(lang, n);
  };

  const row = (key: MessageKey, value: string, testid: string) =>
    value ? (
      <div class="diag-row">
        <dt>{t(key)}</dt>
        <dd data-testid={testid}>{value}</dd>
      </div>
    ) : null;

  const os = data.os ?? {};
  const cpu = data.cpu ?? {};
  const memory = data.memory ?? {};
  const uptime = num(os.uptime_s);
  const cores = num(cpu.cores);
  const load = list<unknown>(cpu.load).map(num).filter((v): v is number => v !== undefined);
  const total = num(memory.total_kb);
  const available = num(memory.available_kb);
  const disks = list<NonNullable<DiagnosticsData['disks']>[number]>(data.disks);
  const network = list<NonNullable<DiagnosticsData['network']>[number]>(data.network);
  const processes = list<NonNullable<DiagnosticsData['processes']>[number]>(data.processes).slice(0, MAX_PROCESSES);

  return (
    <section
      class={extra ? `diagnostics ${extra}` : 'diagnostics'}
      data-testid="diagnostics"
      aria-labelledby={titleId}
    >
      <Title id={titleId} class="diag-title">
        {t('diag.title')}
      </Title>
      {at > 0 && (
        <p class="muted small diag-at" data-testid="diag-at">
          {t('diag.received', { time: formatAt ? formatAt(at) : formatDateTime(lang, at) })}
        </p>
      )}
      <dl class="diag-list">
        {row('diag.os', text(os.name), 'diag-os')}
        {row('diag.kernel', text(os.kernel), 'diag-kernel')}
        {row('diag.host', text(os.hostname), 'diag-host')}
        {row('diag.uptime', uptime === undefined ? '' : formatDuration(uptime), 'diag-uptime')}
        {row(
          'diag.cpu',
          [text(cpu.model), cores === undefined ? '' : t('diag.cores', { n: cores })].filter(Boolean).join(', '),
          'diag-cpu',
        )}
        {row('diag.load', load.map(decimal).join(' · '), 'diag-load')}
        {row(
          'diag.memory',
          total === undefined
            ? ''
            : available === undefined
              ? formatKib(lang, total)
              : t('diag.memoryValue', { available: formatKib(lang, available), total: formatKib(lang, total) }),
          'diag-memory',
        )}
      </dl>

      {disks.length > 0 && (
        <>
          <Subtitle class="diag-subtitle">{t('diag.disks')}</Subtitle>
          <div class="diag-table-wrap">
            <table class="diag-table" data-testid="diag-disks">
              <thead>
                <tr>
                  <th scope="col">{t('diag.mount')}</th>
                  <th scope="col" class="num">{t('diag.free')}</th>
                  <th scope="col" class="num">{t('diag.size')}</th>
                </tr>
              </thead>
              <tbody>
                {disks.map((d, i) => (
                  <tr key={`${text(d.mount)}-${i}`} data-testid="diag-disk">
                    <td title={text(d.fs)}>{text(d.mount)}</td>
                    <td class="num">{size(d.free_kb)}</td>
                    <td class="num">{size(d.total_kb)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {network.length > 0 && (
        <>
          <Subtitle class="diag-subtitle">{t('diag.network')}</Subtitle>
          <div class="diag-table-wrap">
            <table class="diag-table" data-testid="diag-network">
              <thead>
                <tr>
                  <th scope="col">{t('diag.interface')}</th>
                  <th scope="col">{t('diag.addresses')}</th>
                  <th scope="col">{t('diag.mac')}</th>
                </tr>
              </thead>
              <tbody>
                {network.map((n, i) => (
                  <tr key={`${text(n.name)}-${i}`} data-testid="diag-interface">
                    <td>{text(n.name)}</td>
                    <td class="diag-addresses">
                      {list<unknown>(n.addresses)
                        .map(text)
                        .filter(Boolean)
                        .map((a) => (
                          <div key={a}>{a}</div>
                        ))}
                    </td>
                    <td class="diag-mac">{text(n.mac)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      {processes.length > 0 && (
        <>
          <Subtitle class="diag-subtitle">{t('diag.processes')}</Subtitle>
          <div class="diag-table-wrap diag-processes">
            <table class="diag-table" data-testid="diag-processes">
              <thead>
                <tr>
                  <th scope="col" class="num">{t('diag.pid')}</th>
                  <th scope="col">{t('diag.process')}</th>
                  <th scope="col" class="num">{t('diag.rss')}</th>
                  <th scope="col" class="num">{t('diag.cpuTime')}</th>
                </tr>
              </thead>
              <tbody>
                {processes.map((p, i) => {
                  const cpuS = num(p.cpu_s);
                  return (
                    <tr key={`${String(p.pid)}-${i}`} data-testid="diag-process">
                      <td class="num">{num(p.pid) ?? ''}</td>
                      <td class="diag-name" data-testid="diag-process-name">
                        {text(p.name)}
                      </td>
                      <td class="num">{size(p.rss_kb)}</td>
                      <td class="num">{cpuS === undefined ? '' : formatDuration(cpuS)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
