// Transfer message layouts (see transfer_messages.h).
#include "engine/card/transfer_messages.h"

#include <string>
#include <string_view>

#include "engine/card/bytes.h"
#include "engine/card/session_crypto.h"
#include "engine/check.h"

namespace argentpoche::card {

std::string EncodeHello(const Hello& hello) {
  ByteWriter writer;
  writer.Raw(hello.certificate).Raw(hello.ephemeral).U32(hello.counter);
  POCHE_CHECK(writer.bytes().size() == kHelloBytes);
  return writer.Take();
}

bool DecodeHello(std::string_view bytes, Hello& hello) {
  ByteReader reader(bytes);
  return bytes.size() == kHelloBytes && reader.Raw(kCertificateBytes, hello.certificate) &&
         reader.Raw(kX25519Bytes, hello.ephemeral) && reader.U32(hello.counter) && reader.done();
}

std::string Request::ClearPart() const {
  ByteWriter writer;
  writer.Raw(certificate).Raw(ephemeral).U32(counter);
  return writer.Take();
}

std::string EncodeRequest(const Request& request) {
  ByteWriter writer;
  writer.Raw(request.session_id)
      .Raw(request.ClearPart())
      .Raw(request.sealed)
      .Raw(request.signature);
  POCHE_CHECK(writer.bytes().size() == kRequestBytes);
  return writer.Take();
}

bool DecodeRequest(std::string_view bytes, Request& request) {
  ByteReader reader(bytes);
  return bytes.size() == kRequestBytes && reader.Raw(kSessionIdBytes, request.session_id) &&
         reader.Raw(kCertificateBytes, request.certificate) &&
         reader.Raw(kX25519Bytes, request.ephemeral) && reader.U32(request.counter) &&
         reader.Raw(kSealedRequestBytes, request.sealed) &&
         reader.Raw(kSignatureBytes, request.signature) && reader.done();
}

std::string EncodeSignedStep(const SignedStep& step) {
  ByteWriter writer;
  writer.Raw(step.session_id).Raw(step.signature);
  POCHE_CHECK(writer.bytes().size() == kSignedStepBytes);
  return writer.Take();
}

bool DecodeSignedStep(std::string_view bytes, SignedStep& step) {
  ByteReader reader(bytes);
  return bytes.size() == kSignedStepBytes && reader.Raw(kSessionIdBytes, step.session_id) &&
         reader.Raw(kSignatureBytes, step.signature) && reader.done();
}

std::string EncodeAmount(std::string_view currency, int64_t amount) {
  POCHE_CHECK(currency.size() == kCurrencyBytes);
  ByteWriter writer;
  writer.Raw(currency).I64(amount);
  return writer.Take();
}

bool DecodeAmount(std::string_view bytes, std::string& currency, int64_t& amount) {
  ByteReader reader(bytes);
  return reader.Raw(kCurrencyBytes, currency) && reader.I64(amount) && reader.done();
}

std::string EncodeRequestCommand(std::string_view currency, int64_t amount,
                                 std::string_view hello) {
  const std::string amount_bytes = EncodeAmount(currency, amount);
  ByteWriter writer;
  writer.Raw(amount_bytes).U16(Crc16(amount_bytes)).Raw(hello);
  return writer.Take();
}

bool DecodeRequestCommand(std::string_view bytes, RequestCommand& command) {
  ByteReader reader(bytes);
  return bytes.size() == kRequestCommandBytes && reader.Raw(kCurrencyBytes, command.currency) &&
         reader.I64(command.amount) && reader.U16(command.check) &&
         reader.Raw(kHelloBytes, command.hello) && reader.done();
}

}  // namespace argentpoche::card
