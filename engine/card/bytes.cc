// Big-endian byte writing and reading (see bytes.h).
#include "engine/card/bytes.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace argentpoche::card {
namespace {

void AppendUnsigned(std::string& out, uint64_t value, size_t count) {
  for (size_t index = count; index > 0; --index) {
    out.push_back(static_cast<char>((value >> (8 * (index - 1))) & 0xFF));
  }
}

}  // namespace

ByteWriter& ByteWriter::U8(uint8_t value) {
  AppendUnsigned(bytes_, value, 1);
  return *this;
}

ByteWriter& ByteWriter::U16(uint16_t value) {
  AppendUnsigned(bytes_, value, 2);
  return *this;
}

ByteWriter& ByteWriter::U32(uint32_t value) {
  AppendUnsigned(bytes_, value, 4);
  return *this;
}

ByteWriter& ByteWriter::I64(int64_t value) {
  AppendUnsigned(bytes_, static_cast<uint64_t>(value), 8);
  return *this;
}

ByteWriter& ByteWriter::Raw(std::string_view bytes) {
  bytes_.append(bytes);
  return *this;
}

bool ByteReader::Unsigned(size_t count, uint64_t& value) {
  if (rest_.size() < count) return false;
  uint64_t result = 0;
  for (size_t index = 0; index < count; ++index) {
    result = (result << 8) | static_cast<uint8_t>(rest_[index]);
  }
  rest_.remove_prefix(count);
  value = result;
  return true;
}

bool ByteReader::U8(uint8_t& value) {
  uint64_t wide = 0;
  if (!Unsigned(1, wide)) return false;
  value = static_cast<uint8_t>(wide);
  return true;
}

bool ByteReader::U16(uint16_t& value) {
  uint64_t wide = 0;
  if (!Unsigned(2, wide)) return false;
  value = static_cast<uint16_t>(wide);
  return true;
}

bool ByteReader::U32(uint32_t& value) {
  uint64_t wide = 0;
  if (!Unsigned(4, wide)) return false;
  value = static_cast<uint32_t>(wide);
  return true;
}

bool ByteReader::I64(int64_t& value) {
  uint64_t wide = 0;
  if (!Unsigned(8, wide)) return false;
  value = static_cast<int64_t>(wide);
  return true;
}

bool ByteReader::Raw(size_t count, std::string& value) {
  std::string_view view;
  if (!Raw(count, view)) return false;
  value.assign(view);
  return true;
}

bool ByteReader::Raw(size_t count, std::string_view& value) {
  if (rest_.size() < count) return false;
  value = rest_.substr(0, count);
  rest_.remove_prefix(count);
  return true;
}

}  // namespace argentpoche::card
