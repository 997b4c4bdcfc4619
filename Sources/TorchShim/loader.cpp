// loader.cpp — see loader.h. Two passes: check every name and shape first (cheap, so a broken
// checkpoint fails before any large copy), then convert and move each tensor to its device.
#include "loader.h"

#include <sys/stat.h>

#include <cstdlib>
#include <cstring>

#include <map>
#include <set>

#include "errors.h"
#include "json.h"
#include "safetensors.h"

namespace pi {

bool is_directory(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool is_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

static const char* kLayout =
    "expected the Hugging Face diffusers layout of stabilityai/stable-video-diffusion-img2vid: model_index.json, "
    "unet/, vae/, image_encoder/, scheduler/scheduler_config.json, feature_extractor/preprocessor_config.json";

void check_model_folder(const std::string& dir) {
    if (!is_directory(dir)) {
        if (is_file(dir)) fail(PI_ERR_IO, "not an SVD model folder: '" + dir + "' is a file, not a folder; " + kLayout);
        fail(PI_ERR_IO, "not an SVD model folder: '" + dir + "' does not exist");
    }
    const std::string required = PI_MODEL_FOLDER_FILES;
    for (size_t start = 0; start <= required.size();) {
        size_t end = required.find(':', start);
        if (end == std::string::npos) end = required.size();
        const std::string rel = required.substr(start, end - start);
        if (!is_file(dir + "/" + rel))
            fail(PI_ERR_IO, "not an SVD model folder: missing " + rel + " in '" + dir + "' (" + kLayout + ")");
        start = end + 1;
    }
}

Json read_component_json(const std::string& dir, const std::string& rel) {
    const std::string path = dir + "/" + rel;
    if (!is_file(path)) fail(PI_ERR_IO, "not an SVD model folder: missing " + rel + " in '" + dir + "'");
    return Json::parse_file(path);
}

std::vector<std::string> weight_files(const std::string& dir, const std::string& component, const std::string& stem,
                                      const std::string& variant) {
    const std::string base = dir + "/" + component + "/" + stem + (variant.empty() ? "" : "." + variant);
    const std::string single = base + ".safetensors";
    if (is_file(single)) return {single};
    const std::string index = single + ".index.json";
    if (is_file(index)) {
        Json j = Json::parse_file(index);
        const Json* map = j.find("weight_map");
        if (!map || !map->is_object()) fail(PI_ERR_MODEL, index + ": no \"weight_map\" object");
        std::set<std::string> names;
        for (const auto& [k, v] : map->object()) {
            // A shard is a file beside the index: no path may lead elsewhere.
            if (!v.is_string() || v.string().empty() || v.string().find('/') != std::string::npos ||
                v.string() == "." || v.string() == "..")
                fail(PI_ERR_MODEL, index + ": weight_map['" + k + "'] is not the name of a shard file in " + component + "/");
            names.insert(v.string());
        }
        if (names.empty()) fail(PI_ERR_MODEL, index + ": \"weight_map\" names no shard files");
        std::vector<std::string> files;
        for (const auto& n : names) files.push_back(dir + "/" + component + "/" + n);
        return files;
    }
    std::string msg = "not an SVD model folder: missing " + component + "/" + stem +
                      (variant.empty() ? "" : "." + variant) + ".safetensors in '" + dir + "'";
    if (!variant.empty() && is_file(dir + "/" + component + "/" + stem + ".safetensors"))
        msg += " (the folder has no '" + variant + "' variant of " + component + "; load without variant)";
    else if (variant.empty() && is_file(dir + "/" + component + "/" + stem + ".fp16.safetensors"))
        msg += " (it has " + stem + ".fp16.safetensors: load with variant \"fp16\")";
    fail(PI_ERR_IO, msg);
}

namespace {

std::string shape_str(at::IntArrayRef s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + "]";
}

// The one place where checkpoint names differ from module names: VAE attention blocks saved
// with diffusers' deprecated names, and buffers that transformers itself ignores.
std::string canonical_key(const std::string& key) {
    if (key == "vision_model.embeddings.position_ids") return "";  // non-persistent buffer in old checkpoints
    static const std::pair<const char*, const char*> renames[] = {
        {".query.", ".to_q."}, {".key.", ".to_k."}, {".value.", ".to_v."}, {".proj_attn.", ".to_out.0."}};
    if (key.find("mid_block.attentions.") != std::string::npos) {
        for (const auto& [from, to] : renames) {
            auto pos = key.find(from);
            if (pos != std::string::npos) return key.substr(0, pos) + to + key.substr(pos + std::strlen(from));
        }
    }
    return key;
}

std::string short_path(const std::string& path, const std::string& component) {
    auto pos = path.rfind("/" + component + "/");
    return pos == std::string::npos ? path : path.substr(pos + 1);
}

}  // namespace

void load_weights(torch::nn::Module& module, const std::string& component, const std::vector<std::string>& files,
                  const LoadTarget& target) {
    std::map<std::string, at::Tensor> slots;
    for (const auto& item : module.named_parameters(true)) slots.emplace(item.key(), item.value());
    for (const auto& item : module.named_buffers(true)) slots.emplace(item.key(), item.value());

    struct Source {
        const SafetensorsFile* file;
        std::string key;
    };
    std::vector<std::unique_ptr<SafetensorsFile>> opened;
    std::map<std::string, Source> sources;  // module name -> where its data is
    std::vector<std::string> unused;
    for (const auto& path : files) {
        opened.push_back(std::make_unique<SafetensorsFile>(path));
        const SafetensorsFile& f = *opened.back();
        for (const auto& [key, entry] : f.entries()) {
            const std::string name = canonical_key(key);
            if (name.empty()) continue;
            auto slot = slots.find(name);
            if (slot == slots.end()) {
                unused.push_back("'" + key + "' (" + short_path(path, component) + ")");
                continue;
            }
            if (at::IntArrayRef(entry.shape) != slot->second.sizes())
                fail(PI_ERR_MODEL, short_path(path, component) + ": tensor '" + key + "' has shape " +
                                       shape_str(entry.shape) + ", expected " + shape_str(slot->second.sizes()) +
                                       " from " + component + "/config.json");
            if (entry.dtype != "F32" && entry.dtype != "F16" && entry.dtype != "BF16" && entry.dtype != "F64")
                fail(PI_ERR_MODEL, short_path(path, component) + ": tensor '" + key + "' has dtype " + entry.dtype +
                                       ", expected a floating-point dtype (F32, F16, BF16)");
            sources[name] = Source{&f, key};
        }
    }
    const std::string where = files.size() == 1 ? short_path(files[0], component) : component + " checkpoint shards";
    if (!unused.empty()) {
        std::string list;
        for (size_t i = 0; i < unused.size() && i < 5; ++i) list += (i ? ", " : "") + unused[i];
        if (unused.size() > 5) list += " and " + std::to_string(unused.size() - 5) + " more";
        fail(PI_ERR_MODEL, where + ": " + std::to_string(unused.size()) + " unused tensor(s) that " + component +
                               "/config.json does not describe: " + list);
    }
    std::vector<std::string> missing;
    for (const auto& [name, t] : slots)
        if (!sources.count(name)) missing.push_back("'" + name + "' " + shape_str(t.sizes()));
    if (!missing.empty()) {
        std::string list;
        for (size_t i = 0; i < missing.size() && i < 5; ++i) list += (i ? ", " : "") + missing[i];
        if (missing.size() > 5) list += " and " + std::to_string(missing.size() - 5) + " more";
        fail(PI_ERR_MODEL, where + ": missing " + std::to_string(missing.size()) + " tensor(s) that " + component +
                               "/config.json needs: " + list);
    }

    // PI_SVD_KEEP_WEIGHT_PAGES=1 keeps the pages (the behaviour before issue 14), only so that
    // scripts/bench svd-memory can show both peaks from one build.
    const char* keep_env = std::getenv("PI_SVD_KEEP_WEIGHT_PAGES");
    const bool keep_pages = keep_env && std::string(keep_env) == "1";
    for (auto& [name, slot] : slots) {
        const Source& s = sources.at(name);
        at::Tensor t = s.file->tensor(s.key);
        const at::ScalarType want = target.dtype_for ? target.dtype_for(name) : target.storage_dtype;
        if (target.device.is_cpu()) {
            t = t.to(target.storage_dtype, false, true);  // copy: the mapping goes away
        } else {
            t = t.to(target.device, false, true).to(target.storage_dtype);  // convert on the device
        }
        if (want != target.storage_dtype) t = t.to(want);
        slot.set_data(t);
        // The converted copy is all that is needed now: drop the file's pages of this tensor so
        // the mapping never adds the checkpoint's size on top of the weights.
        if (!keep_pages) s.file->release(s.key);
    }
}

}  // namespace pi
