// Big-endian byte writing and reading for the card's fixed binary layouts.
//
//   ByteWriter writer;
//   writer.U8(1).U32(counter).Raw(card_id);
//   ByteReader reader(writer.bytes());
//   uint8_t version; uint32_t counter; std::string card_id;
//   if (!reader.U8(version) || !reader.U32(counter) || !reader.Raw(8, card_id)) ...
//
// A reader never reads past its end: a short read returns false and leaves the output
// untouched, so a truncated message is refused, never misread. Not thread-safe (one
// writer or reader per thread); the reader borrows its bytes, which must outlive it.
#ifndef ARGENTPOCHE_ENGINE_CARD_BYTES_H_
#define ARGENTPOCHE_ENGINE_CARD_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace argentpoche::card {

class ByteWriter {
 public:
  ByteWriter& U8(uint8_t value);
  ByteWriter& U16(uint16_t value);
  ByteWriter& U32(uint32_t value);
  // Two's complement, as uint64.
  ByteWriter& I64(int64_t value);
  ByteWriter& Raw(std::string_view bytes);

  const std::string& bytes() const { return bytes_; }
  std::string Take() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : rest_(bytes) {}

  [[nodiscard]] bool U8(uint8_t& value);
  [[nodiscard]] bool U16(uint16_t& value);
  [[nodiscard]] bool U32(uint32_t& value);
  [[nodiscard]] bool I64(int64_t& value);
  // The next `count` bytes.
  [[nodiscard]] bool Raw(size_t count, std::string& value);
  [[nodiscard]] bool Raw(size_t count, std::string_view& value);

  size_t remaining() const { return rest_.size(); }
  bool done() const { return rest_.empty(); }
  // What has not been read yet.
  std::string_view rest() const { return rest_; }

 private:
  bool Unsigned(size_t count, uint64_t& value);

  std::string_view rest_;
};

}  // namespace argentpoche::card

#endif  // ARGENTPOCHE_ENGINE_CARD_BYTES_H_
