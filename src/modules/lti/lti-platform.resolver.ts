import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../shared/context';
import { idOf, toGlobalId } from '../../shared/ids';
import { registerNode } from '../../shared/node';
import { Connection, PageArgs } from '../../shared/pagination';
import { Permission } from '../../shared/permissions';
import { LtiPlatform } from './lti.entity';
import {
  CreateLtiRegistrationLinkInput, DeactivateLtiPlatformInput, LtiPlatformPayload, LtiRegistrationLinkPayload, LtiToolConfiguration,
  RegisterLtiPlatformInput, RotateLtiToolKeyPayload, UpdateLtiPlatformInput,
} from './lti.inputs';
import { ltiPlatformService } from './lti-platform.service';

export const LTI_PLATFORM_TYPE = 'LtiPlatform';

export const LtiPlatformConnection = Connection(LtiPlatform, 'LtiPlatform');

registerNode(LTI_PLATFORM_TYPE, async (ctx, id) => (ctx.can(Permission.LTI_MANAGE) ? ltiPlatformService.findOne(ctx, id) : null));

@Resolver(() => LtiPlatform)
export class LtiPlatformResolver {
  @FieldResolver(() => ID)
  id(@Root() platform: LtiPlatform): string {
    return toGlobalId(LTI_PLATFORM_TYPE, platform.id);
  }

  @Query(() => LtiPlatformConnection, { description: 'Org admins: the LMSs registered as LTI 1.3 platforms, oldest first.' })
  ltiPlatforms(@Args() page: PageArgs, @Ctx() ctx: RequestContext) {
    return ltiPlatformService.list(ctx, page);
  }

  @Query(() => LtiToolConfiguration, { description: 'Org admins: the URLs an LMS administrator enters to add Coursegraph as an LTI 1.3 tool.' })
  ltiToolConfiguration(@Ctx() ctx: RequestContext): Promise<LtiToolConfiguration> {
    return ltiPlatformService.toolConfiguration(ctx);
  }

  @Mutation(() => LtiPlatformPayload, { description: 'Register an LMS (LTI 1.3 platform); (issuer, clientId) must not be registered already.' })
  async registerLtiPlatform(@Arg('input', () => RegisterLtiPlatformInput) input: RegisterLtiPlatformInput, @Ctx() ctx: RequestContext): Promise<LtiPlatformPayload> {
    return { platform: await ltiPlatformService.register(ctx, input), errors: [] };
  }

  @Mutation(() => LtiPlatformPayload, { description: 'Change a registered platform (or reactivate it).' })
  async updateLtiPlatform(@Arg('input', () => UpdateLtiPlatformInput) input: UpdateLtiPlatformInput, @Ctx() ctx: RequestContext): Promise<LtiPlatformPayload> {
    return { platform: await ltiPlatformService.update(ctx, idOf(LTI_PLATFORM_TYPE, input.id), input), errors: [] };
  }

  @Mutation(() => LtiPlatformPayload, { description: 'Stop launches from a platform; its users and enrollments stay.' })
  async deactivateLtiPlatform(@Arg('input', () => DeactivateLtiPlatformInput) input: DeactivateLtiPlatformInput, @Ctx() ctx: RequestContext): Promise<LtiPlatformPayload> {
    return { platform: await ltiPlatformService.deactivate(ctx, idOf(LTI_PLATFORM_TYPE, input.id)), errors: [] };
  }

  @Mutation(() => LtiRegistrationLinkPayload, { description: 'A one-time LTI Dynamic Registration URL to paste into the LMS.' })
  async createLtiRegistrationLink(@Arg('input', () => CreateLtiRegistrationLinkInput) input: CreateLtiRegistrationLinkInput, @Ctx() ctx: RequestContext): Promise<LtiRegistrationLinkPayload> {
    return { ...(await ltiPlatformService.createRegistrationLink(ctx, input)), errors: [] };
  }

  @Mutation(() => RotateLtiToolKeyPayload, { description: 'A new signing key for the tool; the previous one stays in the JWKS for an hour.' })
  async rotateLtiToolKey(@Ctx() ctx: RequestContext): Promise<RotateLtiToolKeyPayload> {
    return { kid: await ltiPlatformService.rotateKey(ctx), errors: [] };
  }
}
