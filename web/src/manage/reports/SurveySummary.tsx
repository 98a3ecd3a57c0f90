// The customer survey of the snapshot summary and of the customer feedback
// report (docs/reports.md): how many rated, the average, how many commented,
// and the ratings by stars as a table with a bar chart of the same numbers.
import { useI18n } from '../../shared/i18n';
import { BarChart } from './Chart';
import { attr, number, Section, Table } from './parts';
import type { Survey } from './reportsApi';

export function SurveySummary({ survey }: { survey: Survey }) {
  const { t, lang } = useI18n();
  const stars = [1, 2, 3, 4, 5].map((n) => ({
    n,
    label: t('reports.survey.starsOf', { n }),
    value: survey.by_score[n - 1] ?? 0,
  }));
  return (
    <Section id="report-survey-title" title={t('reports.survey.title')} testid="report-survey">
      {survey.ratings === 0 ? (
        <p class="muted" data-testid="report-survey-empty">
          {t('reports.survey.none')}
        </p>
      ) : (
        <div class="report-split">
          <div>
            <dl
              class="report-facts"
              data-testid="report-survey-facts"
              data-ratings={survey.ratings}
              data-average-rating={attr(survey.average_rating)}
              data-comments={survey.comments}
            >
              <div>
                <dt>{t('reports.survey.ratings')}</dt>
                <dd>{number(lang, survey.ratings)}</dd>
              </div>
              <div>
                <dt>{t('reports.survey.average')}</dt>
                <dd>{number(lang, survey.average_rating, 2)}</dd>
              </div>
              <div>
                <dt>{t('reports.survey.comments')}</dt>
                <dd>{number(lang, survey.comments)}</dd>
              </div>
            </dl>
            <Table
              caption={t('reports.survey.byScore')}
              testid="report-ratings"
              columns={[{ label: t('reports.survey.stars') }, { label: t('reports.col.ratings'), num: true }]}
            >
              {stars.map((s) => (
                <tr key={s.n} data-stars={s.n} data-ratings={s.value}>
                  <th scope="row">{s.label}</th>
                  <td class="num">{number(lang, s.value)}</td>
                </tr>
              ))}
            </Table>
          </div>
          <BarChart
            name="ratings"
            labels={stars.map((s) => s.label)}
            values={stars.map((s) => s.value)}
            axis={t('reports.axis.ratings')}
            label={t('reports.chart.ratings', {
              values: stars.map((s) => `${s.label} ${number(lang, s.value)}`).join(', '),
            })}
          />
        </div>
      )}
    </Section>
  );
}
