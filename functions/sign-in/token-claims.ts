// Cognito's pre-token-generation trigger: sets a federated user's agency, region and roles from the
// provider they signed in through (shared/domain/sign-in.ts).
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { tokenClaimsFor } from '../../shared/domain/sign-in';
import { SIGN_IN_PROVIDERS_ENV, type SignInProvider } from '../../shared/wiring/identity-providers';
import { requiredEnvironment } from '../../shared/wiring/environment';

const providers = JSON.parse(requiredEnvironment(SIGN_IN_PROVIDERS_ENV)) as SignInProvider[];

export const handler = async (event: PreTokenGenerationTriggerEvent): Promise<PreTokenGenerationTriggerEvent> => {
  const { groupsToOverride, ...claims } = tokenClaimsFor(event.request.userAttributes, providers);
  event.response.claimsOverrideDetails = {
    ...claims,
    ...(groupsToOverride && { groupOverrideDetails: { groupsToOverride } }),
  };
  return event;
};
