// json.cpp — see json.h. A recursive-descent parser over the whole text.
#include "json.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>

#include "errors.h"

namespace pi {

class JsonParser {
public:
    JsonParser(const std::string& text, std::shared_ptr<const std::string> origin)
        : s_(text), origin_(std::move(origin)) {}

    Json parse_document() {
        Json v = value(0);
        ws();
        if (i_ != s_.size()) error("unexpected trailing characters");
        return v;
    }

private:
    const std::string& s_;
    std::shared_ptr<const std::string> origin_;
    size_t i_ = 0;

    [[noreturn]] void error(const std::string& what) const {
        fail(PI_ERR_MODEL, *origin_ + ": invalid JSON at byte " + std::to_string(i_) + ": " + what);
    }
    void ws() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
    }
    bool eat(char c) {
        ws();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    void expect(char c) {
        if (!eat(c)) error(std::string("expected '") + c + "'");
    }
    Json make(Json::Type t) const {
        Json j;
        j.type_ = t;
        j.origin_ = origin_;
        return j;
    }

    Json value(int depth) {
        if (depth > 64) error("nested too deeply");
        ws();
        if (i_ >= s_.size()) error("unexpected end");
        char c = s_[i_];
        if (c == '{') return object(depth);
        if (c == '[') return array(depth);
        if (c == '"') {
            Json j = make(Json::Type::String);
            j.string_ = str();
            return j;
        }
        if (s_.compare(i_, 4, "true") == 0) {
            i_ += 4;
            Json j = make(Json::Type::Bool);
            j.bool_ = true;
            return j;
        }
        if (s_.compare(i_, 5, "false") == 0) {
            i_ += 5;
            return make(Json::Type::Bool);
        }
        if (s_.compare(i_, 4, "null") == 0) {
            i_ += 4;
            return make(Json::Type::Null);
        }
        // Python's json writes these for non-finite floats.
        if (s_.compare(i_, 8, "Infinity") == 0 || s_.compare(i_, 9, "-Infinity") == 0 || s_.compare(i_, 3, "NaN") == 0) {
            Json j = make(Json::Type::Number);
            j.number_ = s_[i_] == 'N' ? NAN : (s_[i_] == '-' ? -INFINITY : INFINITY);
            i_ += s_[i_] == 'N' ? 3 : (s_[i_] == '-' ? 9 : 8);
            return j;
        }
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        error(std::string("unexpected character '") + c + "'");
    }

    // JSON's number grammar exactly (strtod would also take hex, "inf" and the locale's decimal
    // comma), converted with from_chars, which ignores the locale.
    Json number() {
        const size_t start = i_;
        auto digits = [&] {
            const size_t from = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            return i_ > from;
        };
        if (i_ < s_.size() && s_[i_] == '-') ++i_;
        if (i_ < s_.size() && s_[i_] == '0') ++i_;
        else if (!digits()) error("bad number");
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (!digits()) error("bad number (no digits after '.')");
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digits()) error("bad number (no digits in the exponent)");
        }
        double d = 0;
        const char* first = s_.data() + start;
        const auto r = std::from_chars(first, s_.data() + i_, d);
        if (r.ec == std::errc::result_out_of_range) {
            // Python reads 1e999 as inf and 1e-999 as 0; so do we.
            d = decimal_order(start, i_) > 0 ? INFINITY : 0.0;
            if (*first == '-') d = -d;
        } else if (r.ec != std::errc() || r.ptr != s_.data() + i_) {
            error("bad number");
        }
        Json j = make(Json::Type::Number);
        j.number_ = d;
        return j;
    }

    // Roughly log10 of the valid JSON number in [from, to): > 0 for huge, <= 0 for tiny values.
    long decimal_order(size_t from, size_t to) const {
        size_t k = from;
        if (s_[k] == '-') ++k;
        long int_digits = 0, frac_zeros = 0;
        bool nonzero = false;
        for (; k < to && s_[k] >= '0' && s_[k] <= '9'; ++k)
            if (nonzero || s_[k] != '0') nonzero = true, ++int_digits;
        if (k < to && s_[k] == '.') {
            for (++k; k < to && s_[k] >= '0' && s_[k] <= '9'; ++k) {
                if (!nonzero && s_[k] == '0') ++frac_zeros;
                else nonzero = true;
            }
        }
        long exp = 0;
        if (k < to && (s_[k] == 'e' || s_[k] == 'E')) {
            ++k;
            const bool neg = s_[k] == '-';
            if (s_[k] == '-' || s_[k] == '+') ++k;
            for (; k < to; ++k) exp = std::min(exp * 10 + (s_[k] - '0'), 1000000000L);
            if (neg) exp = -exp;
        }
        return int_digits > 0 ? int_digits + exp : exp - frac_zeros;
    }

    static void put_utf8(std::string& out, uint32_t cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    uint32_t hex4() {
        if (i_ + 4 > s_.size()) error("short \\u escape");
        uint32_t v = 0;
        for (int k = 0; k < 4; ++k) {
            char h = s_[i_++];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= static_cast<uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f') v |= static_cast<uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= static_cast<uint32_t>(h - 'A' + 10);
            else error("bad \\u escape");
        }
        return v;
    }

    std::string str() {
        expect('"');
        std::string out;
        while (true) {
            if (i_ >= s_.size()) error("unterminated string");
            char c = s_[i_++];
            if (c == '"') break;
            if (c != '\\') {
                out += c;
                continue;
            }
            if (i_ >= s_.size()) error("unterminated escape");
            char e = s_[i_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    uint32_t cp = hex4();
                    if (cp >= 0xD800 && cp < 0xDC00 && s_.compare(i_, 2, "\\u") == 0) {
                        i_ += 2;
                        uint32_t lo = hex4();
                        if (lo < 0xDC00 || lo > 0xDFFF) error("bad surrogate pair in \\u escape");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    put_utf8(out, cp);
                    break;
                }
                default: error("bad escape");
            }
        }
        return out;
    }

    Json array(int depth) {
        expect('[');
        Json j = make(Json::Type::Array);
        if (eat(']')) return j;
        do {
            j.array_.push_back(value(depth + 1));
        } while (eat(','));
        expect(']');
        return j;
    }

    Json object(int depth) {
        expect('{');
        Json j = make(Json::Type::Object);
        if (eat('}')) return j;
        do {
            ws();
            std::string key = str();
            expect(':');
            j.object_[key] = value(depth + 1);
        } while (eat(','));
        expect('}');
        return j;
    }
};

Json Json::parse(const std::string& text, const std::string& origin) {
    JsonParser p(text, std::make_shared<const std::string>(origin));
    return p.parse_document();
}

Json Json::parse_file(const std::string& path) {
    // O_NONBLOCK: a FIFO in place of a config must not hang the load.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) fail(PI_ERR_IO, "cannot open '" + path + "': " + std::strerror(errno));
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        fail(PI_ERR_IO, "cannot read '" + path + "': not a regular file");
    }
    if (st.st_size > static_cast<off_t>(kMaxFileSize)) {
        ::close(fd);
        fail(PI_ERR_MODEL, path + ": " + std::to_string(st.st_size) + " bytes is too large for a JSON config (at most " +
                               std::to_string(kMaxFileSize >> 20) + " MiB)");
    }
    std::string text(static_cast<size_t>(st.st_size), '\0');
    size_t got = 0;
    while (got < text.size()) {
        const ssize_t n = ::read(fd, &text[got], text.size() - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int e = errno;
            ::close(fd);
            fail(PI_ERR_IO, "cannot read '" + path + "': " + std::strerror(e));
        }
        if (n == 0) break;  // shrank while read: parse what is there
        got += static_cast<size_t>(n);
    }
    ::close(fd);
    text.resize(got);
    return parse(text, path);
}

static const char* type_name(Json::Type t) {
    switch (t) {
        case Json::Type::Null: return "null";
        case Json::Type::Bool: return "a boolean";
        case Json::Type::Number: return "a number";
        case Json::Type::String: return "a string";
        case Json::Type::Array: return "an array";
        case Json::Type::Object: return "an object";
    }
    return "?";
}

#define PI_JSON_GET(cond, want, expr)                                                                  \
    if (!(cond)) fail(PI_ERR_MODEL, origin() + ": expected " want ", got " + type_name(type_)); \
    return expr

double Json::number() const { PI_JSON_GET(type_ == Type::Number, "a number", number_); }
bool Json::boolean() const { PI_JSON_GET(type_ == Type::Bool, "a boolean", bool_); }
const std::string& Json::string() const { PI_JSON_GET(type_ == Type::String, "a string", string_); }
const std::vector<Json>& Json::array() const { PI_JSON_GET(type_ == Type::Array, "an array", array_); }
const std::map<std::string, Json>& Json::object() const {
    PI_JSON_GET(type_ == Type::Object, "an object", object_);
}

const Json* Json::find(const std::string& key) const {
    if (type_ != Type::Object) return nullptr;
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &it->second;
}

}  // namespace pi
