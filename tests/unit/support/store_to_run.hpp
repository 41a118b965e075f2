#pragma once
// A new store opened as the commands that run jobs open it.

#include <schedule/store/store.hpp>

#include <filesystem>

namespace schedule::test {

// Creates the store at `path` (Access::run never creates one) and opens it
// with Access::run.
inline store::Store store_to_run(const std::filesystem::path& path) {
    {
        auto created = store::Store::open(path, store::Access::write);
        auto tx = created.begin_write();
        created.set_meta(tx, "created_by", "unit test");
        tx.commit();
    }
    return store::Store::open(path, store::Access::run);
}

} // namespace schedule::test
