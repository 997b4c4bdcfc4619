// json.h — a small JSON reader for config files (config.json, model_index.json, ...).
// Only what configs need: objects, arrays, strings, numbers, true/false/null. Errors throw
// pi::Error with the file name and the byte offset.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pi {

class Json {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };

    Json() = default;
    static Json parse(const std::string& text, const std::string& origin);
    // A regular file of at most kMaxFileSize bytes (a config is a few KiB; a shard index a few
    // hundred).
    static Json parse_file(const std::string& path);
    static constexpr size_t kMaxFileSize = 16u << 20;

    Type type() const { return type_; }
    bool is_null() const { return type_ == Type::Null; }
    bool is_number() const { return type_ == Type::Number; }
    bool is_string() const { return type_ == Type::String; }
    bool is_array() const { return type_ == Type::Array; }
    bool is_object() const { return type_ == Type::Object; }
    bool is_bool() const { return type_ == Type::Bool; }

    double number() const;
    bool boolean() const;
    const std::string& string() const;
    const std::vector<Json>& array() const;
    const std::map<std::string, Json>& object() const;

    // Object member or nullptr.
    const Json* find(const std::string& key) const;

    // What the value came from, for messages ("unet/config.json").
    const std::string& origin() const { return *origin_; }

private:
    friend class JsonParser;
    Type type_ = Type::Null;
    bool bool_ = false;
    double number_ = 0;
    std::string string_;
    std::vector<Json> array_;
    std::map<std::string, Json> object_;
    std::shared_ptr<const std::string> origin_ = std::make_shared<const std::string>("<json>");
};

}  // namespace pi
