#include "cli/terms_file.h"

#include <cctype>
#include <fstream>
#include <optional>
#include <string>

#include "cli/arguments.h"
#include "engine/status.h"
#include "engine/strings.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace argentpoche::cli {
namespace {

constexpr size_t kMaxTermsFileBytes = 1024 * 1024;
constexpr int kMaxJsonDepth = 64;

struct Place {
  int line = 0;    // from 1
  int column = 0;  // from 1; 0 when unknown
};

Place PlaceOf(std::string_view text, size_t offset) {
  Place place{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    place.line += text[i] == '\n' ? 1 : 0;
    place.column = text[i] == '\n' ? 1 : place.column + 1;
  }
  return place;
}

absl::Status Malformed(std::string_view file_name, std::optional<Place> place,
                       std::string_view message) {
  std::string where(file_name);
  if (place.has_value()) where = Concat(where, ":", place->line);
  if (place.has_value() && place->column > 0) where = Concat(where, ":", place->column);
  return UsageError(Concat(where, ": ", message), "MALFORMED_TERMS");
}

// The first syntax error of JSON text, with where it is (the protobuf parser does not say).
class JsonSyntax {
 public:
  explicit JsonSyntax(std::string_view text) : text_(text) {}

  // The offset and message of the first error, or nullopt for well-formed JSON.
  std::optional<std::pair<size_t, std::string>> FirstError() {
    if (Value(0)) {
      Space();
      if (at_ == text_.size()) return std::nullopt;
      Fail("unexpected text after the end of the terms");
    }
    return std::pair{error_at_, error_};
  }

 private:
  bool Fail(std::string_view message) {
    error_at_ = at_;
    error_ = std::string(message);
    return false;
  }
  void Space() {
    while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
  }
  bool Take(char c) {
    Space();
    if (at_ >= text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }
  bool String() {
    if (!Take('"')) return Fail("expected a string in double quotes");
    while (at_ < text_.size() && text_[at_] != '"') {
      if (text_[at_] == '\n') return Fail("a string does not end before the end of the line");
      at_ += text_[at_] == '\\' ? 2 : 1;
    }
    if (at_ >= text_.size()) return Fail("a string does not end");
    ++at_;
    return true;
  }
  bool Scalar() {
    const size_t start = at_;
    while (at_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[at_])) ||
                                  text_[at_] == '-' || text_[at_] == '+' || text_[at_] == '.')) {
      ++at_;
    }
    const std::string_view word = text_.substr(start, at_ - start);
    const bool number =
        !word.empty() && (std::isdigit(static_cast<unsigned char>(word[0])) || word[0] == '-');
    if (number || word == "true" || word == "false" || word == "null") return true;
    at_ = start;
    return Fail(word.empty() ? "expected a value" : Concat("unexpected word ", word));
  }
  bool Members(char close, bool object, int depth) {
    if (Take(close)) return true;
    do {
      if (object && !(String() && (Take(':') || Fail("expected ':' after the field name")))) {
        return false;
      }
      if (!Value(depth + 1)) return false;
    } while (Take(','));
    return Take(close) || Fail(Concat("expected ',' or '", close, "'"));
  }
  bool Value(int depth) {
    if (depth > kMaxJsonDepth) return Fail("the terms are nested too deeply");
    Space();
    if (at_ >= text_.size()) return Fail("the text ends where a value is expected");
    if (Take('{')) return Members('}', /*object=*/true, depth);
    if (Take('[')) return Members(']', /*object=*/false, depth);
    if (text_[at_] == '"') return String();
    return Scalar();
  }

  std::string_view text_;
  size_t at_ = 0;
  size_t error_at_ = 0;
  std::string error_;
};

// Where in `text` the protobuf JSON parser's complaint points: the value it calls invalid,
// or the field it names, whichever is found first.
std::optional<Place> GuessJsonPlace(std::string_view text, const std::string& message) {
  std::string needle;
  if (size_t at = message.find("invalid value "); at != std::string::npos) {
    at += std::string_view("invalid value ").size();
    needle = message.substr(at, message.find(" for type", at) - at);
  } else if (size_t end = message.find(": Cannot find field"); end != std::string::npos) {
    const size_t start = message.rfind(' ', end);
    needle = Concat("\"", message.substr(start + 1, end - start - 1), "\"");
  }
  const size_t found = needle.empty() ? std::string::npos : text.find(needle);
  if (found == std::string::npos) return std::nullopt;
  return PlaceOf(text, found);
}

absl::StatusOr<v1::ContractTerms> ParseJson(std::string_view text, std::string_view file_name) {
  if (auto error = JsonSyntax(text).FirstError(); error.has_value()) {
    return Malformed(file_name, PlaceOf(text, error->first), error->second);
  }
  v1::ContractTerms terms;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(text.data(), text.size()), &terms, options);
  if (!status.ok()) {
    const std::string message(status.message().data(), status.message().size());
    return Malformed(file_name, GuessJsonPlace(text, message), message);
  }
  return terms;
}

// Keeps the first error the text format parser reports.
class FirstError : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!message_.empty()) return;
    place_ = Place{line + 1, column + 1};
    message_ = message;
  }
  const Place& place() const { return place_; }
  const std::string& message() const { return message_; }

 private:
  Place place_;
  std::string message_;
};

absl::StatusOr<v1::ContractTerms> ParseText(std::string_view text, std::string_view file_name) {
  v1::ContractTerms terms;
  FirstError errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &terms)) {
    return Malformed(file_name, errors.place(),
                     errors.message().empty() ? "does not parse" : errors.message());
  }
  return terms;
}

}  // namespace

absl::StatusOr<TermsFormat> TermsFormatOf(std::string_view file_name) {
  if (file_name.ends_with(".json")) return TermsFormat::kJson;
  for (std::string_view extension : {".txtpb", ".textproto", ".pb.txt"}) {
    if (file_name.ends_with(extension)) return TermsFormat::kText;
  }
  return UsageError(Concat("cannot tell the format of ", file_name,
                           ": name it .json for JSON, or .txtpb, .textproto or .pb.txt for "
                           "protobuf text format"),
                    "UNKNOWN_TERMS_FORMAT");
}

absl::StatusOr<v1::ContractTerms> ParseTerms(std::string_view text, TermsFormat format,
                                             std::string_view file_name) {
  absl::StatusOr<v1::ContractTerms> terms =
      format == TermsFormat::kJson ? ParseJson(text, file_name) : ParseText(text, file_name);
  if (terms.ok() && terms->template_case() == v1::ContractTerms::TEMPLATE_NOT_SET) {
    return Malformed(file_name, std::nullopt,
                     "the terms choose no template: write one of deposit, conditional, option "
                     "or weather_cover");
  }
  return terms;
}

absl::StatusOr<v1::ContractTerms> ReadTermsFile(std::string_view path) {
  POCHE_ASSIGN_OR_RETURN(const TermsFormat format, TermsFormatOf(path));
  std::ifstream file{std::string(path), std::ios::binary};
  if (!file) return UsageError(Concat("cannot read the terms file ", path), "TERMS_FILE");
  std::string text(kMaxTermsFileBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(file.gcount()));
  if (text.size() > kMaxTermsFileBytes) {
    return UsageError(Concat("the terms file ", path, " is larger than 1 MiB"), "TERMS_FILE");
  }
  return ParseTerms(text, format, path);
}

}  // namespace argentpoche::cli
