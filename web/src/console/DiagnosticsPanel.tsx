// "Computer details": what the customer's support app reported
// (docs/remote-control.md, "Diagnostics"): the system, processor, memory,
// disks, network interfaces and the processes using the most memory (at most
// 50, in a scrolling table), sizes in binary units (KiB, MiB, GiB).
import { formatDateTime, formatDuration, localeFor } from '../shared/format';
import { useI18n, type MessageKey } from '../shared/i18n';
import type { Diagnostics } from './remote';

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

export function DiagnosticsPanel({ diagnostics }: { diagnostics: Diagnostics }) {
  const { t, lang } = useI18n();
  const { data, at } = diagnostics;
  const decimal = (v: number) => new Intl.NumberFormat(localeFor(lang), { maximumFractionDigits: 2 }).format(v);
  const size = (v: unknown) => {
    const n = num(v);
    return n === undefined ? '' : formatKib(lang, n);
  };

  const row = (key: MessageKey, value: string, testid: string) =>
    value ? (
      <div class="detail-row">
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
  const disks = list<NonNullable<typeof data.disks>[number]>(data.disks);
  const network = list<NonNullable<typeof data.network>[number]>(data.network);
  const processes = list<NonNullable<typeof data.processes>[number]>(data.processes).slice(0, MAX_PROCESSES);

  return (
    <section class="diagnostics" data-testid="diagnostics" aria-labelledby="diagnostics-title">
      <h3 id="diagnostics-title">{t('console.diag.title')}</h3>
      <p class="muted small" data-testid="diag-at">
        {t('console.diag.received', { time: formatDateTime(lang, at) })}
      </p>
      <dl class="detail-list">
        {row('console.diag.os', text(os.name), 'diag-os')}
        {row('console.diag.kernel', text(os.kernel), 'diag-kernel')}
        {row('console.diag.host', text(os.hostname), 'diag-host')}
        {row('console.diag.uptime', uptime === undefined ? '' : formatDuration(uptime), 'diag-uptime')}
        {row(
          'console.diag.cpu',
          [text(cpu.model), cores === undefined ? '' : t('console.diag.cores', { n: cores })].filter(Boolean).join(', '),
          'diag-cpu',
        )}
        {row('console.diag.load', load.map(decimal).join(' · '), 'diag-load')}
        {row(
          'console.diag.memory',
          total === undefined
            ? ''
            : available === undefined
              ? formatKib(lang, total)
              : t('console.diag.memoryValue', { available: formatKib(lang, available), total: formatKib(lang, total) }),
          'diag-memory',
        )}
      </dl>

      {disks.length > 0 && (
        <>
          <h4>{t('console.diag.disks')}</h4>
          <div class="diag-table-wrap">
            <table class="diag-table" data-testid="diag-disks">
              <thead>
                <tr>
                  <th scope="col">{t('console.diag.mount')}</th>
                  <th scope="col" class="num">{t('console.diag.free')}</th>
                  <th scope="col" class="num">{t('console.diag.size')}</th>
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
          <h4>{t('console.diag.network')}</h4>
          <div class="diag-table-wrap">
            <table class="diag-table" data-testid="diag-network">
              <thead>
                <tr>
                  <th scope="col">{t('console.diag.interface')}</th>
                  <th scope="col">{t('console.diag.addresses')}</th>
                  <th scope="col">{t('console.diag.mac')}</th>
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
          <h4>{t('console.diag.processes')}</h4>
          <div class="diag-table-wrap diag-processes">
            <table class="diag-table" data-testid="diag-processes">
              <thead>
                <tr>
                  <th scope="col" class="num">{t('console.diag.pid')}</th>
                  <th scope="col">{t('console.diag.process')}</th>
                  <th scope="col" class="num">{t('console.diag.rss')}</th>
                  <th scope="col" class="num">{t('console.diag.cpuTime')}</th>
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
