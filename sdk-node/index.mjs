// ESM entry point: the same module instance as the CommonJS one, so `instanceof` agrees.
import sdk from './index.js'

export const {
  OlumiClient,
  DraftGraphStream,
  OlumiError,
  OlumiAPIError,
  OlumiNetworkError,
  OlumiTimeoutError,
  OlumiConfigError,
  OlumiIntegrityError,
  OlumiStreamError,
  OlumiDecodeError,
  OlumiAbortError,
  OlumiSignatureRejectedError,
  OlumiAuthenticationError,
  OlumiSignatureError,
  OlumiRateLimitError,
  OlumiBadRequestError,
  OlumiNotFoundError,
  OlumiInternalServerError,
  toSdkError,
  errorKinds,
  sign,
  generateNonce,
  verifyResponseHash,
  canonicalJson,
  responseHash,
  SseDecoder,
  MockServer,
} = sdk

export default sdk
