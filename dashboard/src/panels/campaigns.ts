// Campaigns, for marketing: launch one (channels, dates, budget, the region's agencies it is shared
// with), see every campaign by name, and open one to record its spend and read what it has cost.
import type { CampaignConversion } from '../../../shared/domain/campaign-conversion';
import type { CampaignSummary } from '../../../shared/domain/campaigns';
import type { Channel } from '../../../shared/events/vocabulary';
import regionsFile from '../../../shared/wiring/regions.json';
import { readUntil } from '../api';
import { field, h, replaceChildren, uid } from '../dom';
import { count, date, money, todayUtc } from '../format';
import { wireCommandForm } from '../forms';
import { NO_SPEND } from '../reading';
import { figures, loadInto, panelShell, table, type Panel, type PanelContext } from '../ui';
import { channelWords, wordFor } from '../../../shared/words';
import { trackingLink } from '../../../shared/domain/front-door';

/** "£1,250.50" → 125050 pence; anything else goes to the API as it is, which names the field. */
const penceOf = (pounds: string): number | string => {
  const cleaned = pounds.replace(/[£,\s]/g, '');
  return /^\d+(\.\d{1,2})?$/.test(cleaned) ? Math.round(Number(cleaned) * 100) : pounds;
};

/** A campaign id from its name and year, when marketing leaves the id empty: "Link carers" → "link-carers-2019". */
const idFrom = (name: string, startsOn: string): string =>
  `${
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'campaign'
  }-${startsOn.slice(0, 4)}`;

/** The other agencies of the signed-in agency's region (shared/wiring/regions.json): whom a campaign may be shared with. */
function regionPartners(agencyId: string | undefined): string[] {
  const region = Object.values(regionsFile.regions as Record<string, { agencyIds: string[] }>).find(
    (r) => agencyId !== undefined && r.agencyIds.includes(agencyId),
  );
  return (region?.agencyIds ?? []).filter((id) => id !== agencyId);
}

export function campaignsPanel(context: PanelContext): Panel {
  const { element, body } = panelShell(
    'campaigns',
    'Campaigns',
    'Launch a campaign, record what it costs as the money is spent, and see what each has brought in.',
  );
  const list = h('div', { class: 'results' });
  const opened = h('div', { class: 'record' });
  let current: CampaignSummary | undefined;

  const load = () =>
    loadInto(list, async () => {
      const campaigns = await context.campaigns.list();
      return [campaignTable(campaigns, (c) => void open(c))];
    });
  const open = async (campaign: CampaignSummary, waitForSpend?: number): Promise<void> => {
    current = campaign;
    await loadInto(opened, async () => [await campaignRecord(campaign, context, waitForSpend, (spent) => void open(campaign, spent))]);
    opened.querySelector<HTMLElement>('h3')?.focus();
  };
  const launched = async (campaignId: string) => {
    context.campaigns.forget();
    const campaigns = await readUntil(
      async () => {
        context.campaigns.forget();
        return context.campaigns.list();
      },
      (all) => all.some((c) => c.campaignId === campaignId),
    );
    await load();
    const campaign = campaigns.find((c) => c.campaignId === campaignId);
    if (campaign) await open(campaign);
  };

  body.append(h('div', { class: 'columns households' }, h('div', {}, launchForm(context, launched), list), opened));
  return {
    id: 'campaigns',
    title: 'Campaigns',
    element,
    show: async () => {
      await load();
      if (!current) replaceChildren(opened, h('p', { class: 'empty' }, 'Launch a campaign, or open one to record its spend.'));
    },
  };
}

function launchForm(context: PanelContext, launched: (campaignId: string) => Promise<void>): HTMLElement {
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 200, autocomplete: 'off' });
  const campaignId = h('input', { type: 'text', name: 'campaignId', autocomplete: 'off', spellcheck: 'false' });
  const startsOn = h('input', { type: 'date', name: 'startsOn', value: todayUtc(), required: true });
  const endsOn = h('input', { type: 'date', name: 'endsOn' });
  const budget = h('input', { type: 'text', name: 'budgetPence', inputmode: 'decimal', autocomplete: 'off', placeholder: '£' });
  const check = (group: string, value: string, label: string) => {
    const id = uid(group);
    return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name: group, value }), h('label', { for: id }, label));
  };
  const partners = regionPartners(context.session.agencyId);
  const form = h(
    'form',
    { class: 'card', 'aria-labelledby': 'launch-campaign' },
    h('h3', { id: 'launch-campaign' }, 'Launch a campaign'),
    h(
      'div',
      { class: 'grid-2' },
      field('Campaign name', name),
      field('Campaign id', campaignId, 'Short, for other systems; empty: made from the name'),
      field('Starts on', startsOn),
      field('Ends on', endsOn, 'Empty: still running'),
      field('Budget (£)', budget),
    ),
    h(
      'fieldset',
      { 'data-name': 'channels' },
      h('legend', {}, 'Channels'),
      h(
        'div',
        { class: 'checks' },
        (Object.entries(channelWords) as Array<[Channel, string]>).map(([value, label]) => check('channels', value, label)),
      ),
    ),
    partners.length > 0
      ? h(
          'fieldset',
          { 'data-name': 'agencyIds' },
          h('legend', {}, "Shared with the region's agencies"),
          h(
            'div',
            { class: 'checks' },
            partners.map((agencyId) => check('agencyIds', agencyId, agencyId)),
          ),
        )
      : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Launch campaign')),
  );
  wireCommandForm({
    form,
    send: async (idempotencyKey) => {
      const checked = (group: string) =>
        [...form.querySelectorAll<HTMLInputElement>(`input[name="${group}"]:checked`)].map((box) => box.value);
      const id = campaignId.value.trim() || idFrom(name.value, startsOn.value);
      const sharedWith = checked('agencyIds');
      await context.api.send(
        'POST',
        '/campaigns',
        {
          campaignId: id,
          name: name.value.trim(),
          channels: checked('channels'),
          startsOn: startsOn.value,
          ...(endsOn.value ? { endsOn: endsOn.value } : {}),
          ...(budget.value.trim() ? { budgetPence: penceOf(budget.value) } : {}),
          ...(sharedWith.length > 0 && context.session.agencyId ? { agencyIds: [context.session.agencyId, ...sharedWith] } : {}),
        },
        idempotencyKey,
      );
      context.announce(`Campaign ${name.value.trim()} launched.`);
      for (const input of [name, campaignId, budget, endsOn]) input.value = '';
      for (const box of form.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')) box.checked = false;
      await launched(id);
    },
  });
  return form;
}

function campaignTable(campaigns: CampaignSummary[], open: (c: CampaignSummary) => void): HTMLElement {
  return table<CampaignSummary>(
    'Every campaign, newest first',
    [
      { heading: 'Campaign', cell: (c) => h('button', { type: 'button', class: 'link', onclick: () => open(c) }, c.name) },
      { heading: 'Channels', cell: (c) => c.channels.map((ch) => wordFor(channelWords, ch)).join(', ') },
      { heading: 'Runs', cell: (c) => `${date(c.startsOn)} – ${c.endsOn ? date(c.endsOn) : 'ongoing'}` },
      { heading: 'Budget', numeric: true, cell: (c) => (c.budgetPence === null ? 'none set' : money(c.budgetPence)) },
      { heading: 'Shared with', cell: (c) => c.agencyIds.filter((a) => a !== c.launchedBy).join(', ') || '—' },
    ],
    campaigns,
    { rowKey: (c) => c.campaignId, empty: 'no campaign launched yet.' },
  );
}

/** One campaign: what it has cost and brought in since it started, and the form to record spend. */
async function campaignRecord(
  campaign: CampaignSummary,
  context: PanelContext,
  waitForSpend: number | undefined,
  spent: (totalPence: number) => void,
): Promise<HTMLElement> {
  const to = todayUtc() > campaign.startsOn ? todayUtc() : campaign.startsOn;
  const read = () =>
    context.api.get<CampaignConversion>('/metrics/campaign-conversion', { from: campaign.startsOn, to, campaignId: campaign.campaignId });
  const [report, bySource] = await Promise.all([
    waitForSpend === undefined ? read() : readUntil(read, (r) => (r.cost.spendPence ?? 0) >= waitForSpend),
    context.api.get<CampaignConversion>('/metrics/campaign-conversion', {
      from: campaign.startsOn,
      to,
      campaignId: campaign.campaignId,
      groupBy: 'channel',
    }),
  ]);
  const { cost, cohort } = report;
  const spendText = (pence: number | null) => (cost.spendPence === 0 ? NO_SPEND : money(pence));

  const amount = h('input', {
    type: 'text',
    name: 'amountPence',
    inputmode: 'decimal',
    required: true,
    autocomplete: 'off',
    placeholder: '£',
  });
  const item = h('input', { type: 'text', name: 'item', maxlength: 200, autocomplete: 'off' });
  const on = h('input', { type: 'date', name: 'occurredAt', value: todayUtc(), max: todayUtc() });
  const spendForm = h(
    'form',
    { class: 'step', 'aria-label': 'Record spend' },
    field('Amount (£)', amount),
    field('What for', item, 'e.g. radio adverts'),
    field('Spent on', on),
    h('button', { type: 'submit' }, 'Record spend'),
  );
  wireCommandForm({
    form: spendForm,
    send: async (idempotencyKey) => {
      const amountPence = penceOf(amount.value);
      await context.api.send(
        'POST',
        `/campaigns/${encodeURIComponent(campaign.campaignId)}/spend`,
        {
          amountPence,
          ...(item.value.trim() ? { item: item.value.trim() } : {}),
          ...(on.value && on.value < todayUtc() ? { occurredAt: `${on.value}T12:00:00Z` } : {}),
        },
        idempotencyKey,
      );
      context.announce('Spend recorded.');
      spent((cost.spendPence ?? 0) + (typeof amountPence === 'number' ? amountPence : 0));
    },
  });

  return h(
    'article',
    { class: 'card campaign', 'data-campaign': campaign.campaignId },
    h('h3', { tabindex: -1 }, campaign.name),
    h(
      'p',
      { class: 'hint' },
      `${campaign.campaignId} · from ${date(campaign.startsOn)}${campaign.endsOn ? ` to ${date(campaign.endsOn)}` : ''}` +
        `${campaign.budgetPence === null ? '' : ` · budget ${money(campaign.budgetPence)}`}`,
    ),
    figures(
      [
        {
          field: 'cost.spendPence',
          label: 'Spent so far',
          value: cost.spendPence,
          text: spendText(cost.spendPence),
          hint: `${date(campaign.startsOn)} to ${date(to)}`,
        },
        {
          field: 'cohort.enquiries',
          label: 'Enquiries',
          value: cohort.enquiries,
          text: count(cohort.enquiries),
          hint: 'households who named it',
        },
        { field: 'cost.costPerEnquiry', label: 'Cost per enquiry', value: cost.costPerEnquiry, text: spendText(cost.costPerEnquiry) },
        { field: 'cohort.approvals', label: 'Approvals so far', value: cohort.approvals, text: count(cohort.approvals) },
        {
          field: 'cost.costPerApproval',
          label: 'Cost per approval',
          value: cost.costPerApproval,
          text: spendText(cost.costPerApproval),
          hint: cohort.approvals === 0 ? 'none approved yet' : undefined,
        },
      ],
      'What the campaign cost and brought in',
    ),
    trackingLinkCard(campaign, context),
    table<{ key: string; cohort: { enquiries: number; approvals: number } }>(
      'Its enquiries by source',
      [
        { heading: 'Source', cell: (g) => wordFor(channelWords, g.key) },
        { heading: 'Enquiries', numeric: true, cell: (g) => count(g.cohort.enquiries) },
        { heading: 'Approvals so far', numeric: true, cell: (g) => count(g.cohort.approvals) },
      ],
      bySource.groups.filter((g) => g.cohort.enquiries > 0) as Array<{ key: string; cohort: { enquiries: number; approvals: number } }>,
      { rowKey: (g) => g.key, empty: 'no enquiry has named it yet.' },
    ),
    campaign.launchedBy === context.session.agencyId
      ? spendForm
      : h('p', { class: 'hint' }, `Launched by ${campaign.launchedBy}, who records its spend.`),
  );
}

/** The campaign's tracking link, for marketing to put in its adverts and posts: enquiries through it are the campaign's. */
function trackingLinkCard(campaign: CampaignSummary, context: PanelContext): HTMLElement {
  const agencyId = context.session.agencyId ?? campaign.launchedBy;
  const link = trackingLink(`${context.formUrl}/${encodeURIComponent(agencyId)}`, campaign);
  const id = uid('tracking-link');
  const copied = h('span', { class: 'hint', role: 'status' });
  const copy = h('button', { type: 'button' }, 'Copy link');
  copy.addEventListener('click', () => {
    void navigator.clipboard.writeText(link).then(
      () => (copied.textContent = 'Copied.'),
      () => (copied.textContent = 'Could not copy: select the link and copy it.'),
    );
  });
  return h(
    'div',
    { class: 'tracking-link' },
    h('label', { for: id }, 'Tracking link'),
    h(
      'p',
      { class: 'hint' },
      `Enquiries through this link while the campaign runs are counted as its own (code ${campaign.trackingCode}).`,
    ),
    h('div', { class: 'actions' }, h('input', { type: 'text', id, value: link, readonly: true, spellcheck: 'false' }), copy, copied),
  );
}
