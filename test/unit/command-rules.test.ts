// What the API refuses with 404 or 409 (docs/rules.md, a household's story).
import { foldHousehold, type HouseholdState } from '../../shared/domain/household';
import { checkHouseholdCommand } from '../../shared/domain/command-rules';
import type { HouseholdEvent } from '../../shared/events/catalogue';
import {
  anEvent,
  approval,
  approvalChange,
  closure,
  enquiry,
  holdEnd,
  holdStart,
  initialVisit,
  placementEnd,
  placementStart,
  resignation,
} from '../support/funnel-events';

const fold = (...events: HouseholdEvent[]): HouseholdState => foldHousehold('agency-a', 'h1', events);
const approvedWithTwoBeds = () => fold(approval('h1', '2018-01-01', 2));

describe('recruitment commands', () => {
  it('refuses an unknown household with 404', () => {
    expect(checkHouseholdCommand(undefined, initialVisit('h1', '2019-05-05'))).toMatchObject({ allowed: false, status: 404 });
  });
  it("refuses to approve a closed household with 409 and the closure's reason", () => {
    const verdict = checkHouseholdCommand(
      fold(enquiry('h1', '2019-05-01'), closure('h1', '2019-05-03', 'not_suitable')),
      approval('h1', '2019-06-01'),
    );
    expect(verdict).toMatchObject({ allowed: false, status: 409, code: 'household_closed' });
    expect(verdict.allowed || verdict.message).toContain('not_suitable');
  });
  it('refuses to approve twice', () => {
    expect(checkHouseholdCommand(fold(approval('h1', '2019-05-01')), approval('h1', '2019-06-01'))).toMatchObject({
      status: 409,
      code: 'household_approved',
    });
  });
  it('allows an open household to move on', () => {
    expect(checkHouseholdCommand(fold(enquiry('h1', '2019-05-01')), initialVisit('h1', '2019-05-05'))).toEqual({ allowed: true });
  });
});

describe('placements (409 beyond the approved beds unless the approval is changed first)', () => {
  it('places children up to the approved beds and refuses one more', () => {
    const one = fold(approval('h1', '2018-01-01', 2), placementStart('h1', 'p1', '2019-01-01'));
    expect(checkHouseholdCommand(one, placementStart('h1', 'p2', '2019-02-01'))).toEqual({ allowed: true });
    const two = fold(approval('h1', '2018-01-01', 2), placementStart('h1', 'p1', '2019-01-01'), placementStart('h1', 'p2', '2019-02-01'));
    expect(checkHouseholdCommand(two, placementStart('h1', 'p3', '2019-03-01'))).toMatchObject({
      status: 409,
      code: 'beyond_approved_beds',
    });
  });
  it('allows the extra child once the approval is changed to more beds', () => {
    const changed = fold(approval('h1', '2018-01-01', 1), placementStart('h1', 'p1', '2019-01-01'), approvalChange('h1', '2019-02-01', 2));
    expect(checkHouseholdCommand(changed, placementStart('h1', 'p2', '2019-02-02'))).toEqual({ allowed: true });
    // ...but not dated before the change
    expect(checkHouseholdCommand(changed, placementStart('h1', 'p2', '2019-01-15'))).toMatchObject({
      status: 409,
      code: 'beyond_approved_beds',
    });
  });
  it('counts a bed freed by a placement that ended', () => {
    const ended = fold(approval('h1', '2018-01-01', 1), placementStart('h1', 'p1', '2019-01-01'), placementEnd('h1', 'p1', '2019-03-01'));
    expect(checkHouseholdCommand(ended, placementStart('h1', 'p2', '2019-03-02'))).toEqual({ allowed: true });
  });
  it('refuses a placement with a household that is not approved, or dated before its approval', () => {
    expect(checkHouseholdCommand(fold(enquiry('h1', '2019-01-01')), placementStart('h1', 'p1', '2019-02-01'))).toMatchObject({
      status: 409,
      code: 'household_not_approved',
    });
    expect(checkHouseholdCommand(fold(approval('h1', '2019-03-01')), placementStart('h1', 'p1', '2019-02-01'))).toMatchObject({
      status: 409,
      code: 'before_approval',
    });
  });
  it('refuses a placement id already recorded', () => {
    const placed = fold(approval('h1', '2018-01-01', 3), placementStart('h1', 'p1', '2019-01-01'));
    expect(checkHouseholdCommand(placed, placementStart('h1', 'p1', '2019-02-01'))).toMatchObject({
      status: 409,
      code: 'placement_exists',
    });
  });
  it('answers 404 for ending a placement that was never started, 409 for ending it twice', () => {
    expect(checkHouseholdCommand(approvedWithTwoBeds(), placementEnd('h1', 'nope', '2019-02-01'))).toMatchObject({ status: 404 });
    const ended = fold(approval('h1', '2018-01-01', 1), placementStart('h1', 'p1', '2019-01-01'), placementEnd('h1', 'p1', '2019-03-01'));
    expect(checkHouseholdCommand(ended, placementEnd('h1', 'p1', '2019-04-01'))).toMatchObject({ status: 409, code: 'placement_ended' });
  });
});

describe('holds', () => {
  it('answers 404 for ending a hold that does not exist', () => {
    expect(checkHouseholdCommand(approvedWithTwoBeds(), holdEnd('h1', 'nope', '2019-02-01'))).toMatchObject({
      allowed: false,
      status: 404,
    });
  });
  it('ends an active hold, but not twice nor before it started', () => {
    const held = fold(approval('h1', '2018-01-01', 2), holdStart('h1', 'x', '2019-02-01', 'carer_health'));
    expect(checkHouseholdCommand(held, holdEnd('h1', 'x', '2019-03-01'))).toEqual({ allowed: true });
    expect(checkHouseholdCommand(held, holdEnd('h1', 'x', '2019-01-01'))).toMatchObject({ status: 409, code: 'ends_before_start' });
    const ended = fold(
      approval('h1', '2018-01-01', 2),
      holdStart('h1', 'x', '2019-02-01', 'carer_health'),
      holdEnd('h1', 'x', '2019-03-01'),
    );
    expect(checkHouseholdCommand(ended, holdEnd('h1', 'x', '2019-04-01'))).toMatchObject({ status: 409, code: 'hold_ended' });
  });
  it('puts only approved households on hold, and never reuses a hold id', () => {
    expect(checkHouseholdCommand(fold(enquiry('h1', '2019-01-01')), holdStart('h1', 'x', '2019-02-01', 'matching'))).toMatchObject({
      status: 409,
      code: 'household_not_approved',
    });
    const held = fold(approval('h1', '2018-01-01', 2), holdStart('h1', 'x', '2019-02-01', 'carer_health'));
    expect(checkHouseholdCommand(held, holdStart('h1', 'x', '2019-05-01', 'matching'))).toMatchObject({ status: 409, code: 'hold_exists' });
  });
});

describe('approval changes, resignations and risk flags', () => {
  it("changes only an approved household's approval", () => {
    expect(checkHouseholdCommand(fold(enquiry('h1', '2019-01-01')), approvalChange('h1', '2019-02-01', 2))).toMatchObject({ status: 409 });
    expect(checkHouseholdCommand(approvedWithTwoBeds(), approvalChange('h1', '2019-02-01', 3))).toEqual({ allowed: true });
  });
  it('refuses everything but ending placements and holds once the household resigned', () => {
    const resigned = fold(approval('h1', '2018-01-01', 2), placementStart('h1', 'p1', '2019-01-01'), resignation('h1', '2019-06-01'));
    expect(checkHouseholdCommand(resigned, holdStart('h1', 'x', '2019-07-01', 'matching'))).toMatchObject({
      status: 409,
      code: 'household_resigned',
    });
    expect(checkHouseholdCommand(resigned, resignation('h1', '2019-07-01'))).toMatchObject({ status: 409, code: 'household_resigned' });
    expect(checkHouseholdCommand(resigned, placementEnd('h1', 'p1', '2019-06-01'))).toEqual({ allowed: true });
  });
  it('clears a risk flag only when one is raised', () => {
    const cleared = anEvent('ResignationRiskCleared', '2019-05-01', { householdId: 'h1' });
    expect(checkHouseholdCommand(approvedWithTwoBeds(), cleared)).toMatchObject({ status: 409, code: 'no_risk_flag' });
    const flagged = fold(
      approval('h1', '2018-01-01', 2),
      anEvent('ResignationRiskFlagged', '2019-04-01', { householdId: 'h1', reason: 'retirement' }),
    );
    expect(checkHouseholdCommand(flagged, cleared)).toEqual({ allowed: true });
  });
});
