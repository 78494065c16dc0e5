// What each HTTP route does, in a line: the OpenAPI document's summary and the Lambda's description.
// Kept beside the route table rather than in it: a handler's bundle carries the table (it looks up its
// own route) and needs none of these words.
import type { ApiRouteName } from './http-routes';

export const routeSummaries = {
  LaunchCampaign: 'Launch a recruitment campaign',
  ListCampaigns: 'The campaigns the agency may name (its own and those shared with it), by name',
  RecordCampaignSpend: 'Record money spent on a campaign',
  ReceiveEnquiry: 'Log an enquiry from a prospective fostering household; answers its householdId and reference',
  EnquiryForm: "The service's enquiry form for the public: a page that works without JavaScript",
  ReceivePublicEnquiry: "An enquiry from the public through the service's form; answers its reference (a page, for a plain form post)",
  ScreenedEnquiryPosts:
    'How many posts of the enquiry form were kept out, by day and why (honeypot, too fast, too many), without their content',
  CompleteInitialVisit: 'Record that an initial visit took place',
  StartAssessment: 'Record an application: the assessment starts',
  ApproveHousehold: "Record the household's approval as foster carers",
  CloseEnquiry: 'Close an enquiry or withdraw an application, with its reason',
  ReferEnquiryOn: 'Refer the household on to another agency',
  HandOverHousehold: "Hand the household over from the region's hub to one of its member councils",
  RecordContactAttempt: 'Record a call, email, text, letter or visit to reach the household, its outcome and any follow-up date',
  RecordAssessmentMilestone: "Record a step of the assessment: stage one completed, or the panel's recommendation",
  ClearPossibleDuplicate: 'Clear the mark of a possible duplicate: the enquiry is not the same people enquiring again',
  CorrectStep: 'Correct a step recorded by mistake: it stays in the timeline, marked, and every figure leaves it out',
  ChangeApproval: "Change an approved household's approved beds or category",
  StartPlacement: 'Record a child placed with the household (409 beyond its approved beds)',
  EndPlacement: 'Record that a placement ended',
  StartHold: 'Put vacant beds on hold, with the reason',
  EndHold: 'End a hold',
  FlagResignationRisk:
    'Flag that the household may resign, with the reason and likelihood (a note in words is kept with the contact details)',
  ClearResignationRisk: "Clear the household's resignation risk flag",
  RecordResignation: 'Record that an approved household resigned (deregistration)',
  RecordChildrenInCare: 'Record how many children are in care and where the fostered ones live',
  GetAgencySettings: "The agency's forecast settings, timescale targets, retention periods and every change to them",
  ChangeAgencySettings: 'Set the annual attrition rate, the target in-house share, the timescale targets and the retention periods',
  EraseContact: "Erase the household's contact details for good",
  FindHouseholds: 'Find households by reference; recruitment also by a word of the name, the email or the phone',
  GetHousehold: "A household's state and timeline",
  SubjectAccess: 'Everything held about a household as one document, for a subject access request (audited)',
  Audit: "The agency's access audit: who saw, searched, listed, exported, erased or imported which households, and when",
  CampaignConversion: 'Campaign conversion, timeliness, cost and activity',
  Capacity: 'Approved households, beds, placements and vacancies at a date',
  BedsOnHold: 'Beds on hold at a date, primary and secondary, by reason',
  Sufficiency: 'In-house capacity against the children in care, with a 12-month trend',
  ResignationForecast: 'Resignations so far and expected by 31 March, with the recruitment pipeline',
  AnnualReturn:
    "The year's return to the inspectorate: enquiries to approvals, withdrawals by code, deregistrations by reason, places at 31 March",
  FosteringServiceUpdate: "The committee report for the period, as a Word document (.docx), every figure the API's for the same dates",
  ReferralRewards: 'The refer-a-friend rewards that fell due in a window, with both households and the amount',
  Caseload: 'The open households at a date with their next action, sorted by when it is due',
  CaseloadCounts: 'The enquiries of a window, each counted under its follow-up state at a date',
  HubFigures:
    "The hub's enquiries followed through their handovers: timescales, handovers by council, applications and approvals, by campaign, beside the year before",
  Timeliness: "First responses, initial visits and approvals against the agency's timescale targets",
  ExportEvents: "The agency's own events in the window as NDJSON, one PutEvents entry a line, oldest first, without contact details",
} as const satisfies Record<ApiRouteName, string>;
