# Run by `cmake --install` and by CPack (install(CODE) in CMakeLists.txt):
# installs the systemd units and the cron.d file with their command naming
# the binary where this installation puts it. The files in packaging/ name
# /usr/bin/schedule, the package's path; under another prefix (say
# /usr/local) the units would otherwise run a binary that is not there.
#
# Set by the caller: SCHEDULE_PACKAGING_DIR (packaging/), SCHEDULE_STAGING
# (a build directory for the rewritten copies), SCHEDULE_BINDIR and
# SCHEDULE_SYSCONFDIR (GNUInstallDirs' relative directories).

set(binary "${CMAKE_INSTALL_PREFIX}/${SCHEDULE_BINDIR}/schedule")
# GNUInstallDirs' rule: the /usr prefix keeps its configuration in /etc.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(sysconfdir "/etc")
else()
    set(sysconfdir "${CMAKE_INSTALL_PREFIX}/${SCHEDULE_SYSCONFDIR}")
endif()

# One staging directory per destination, so that installations under two
# prefixes at once do not write each other's copies.
string(MD5 key "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
set(staging "${SCHEDULE_STAGING}/${key}")

function(install_with_binary source destination)
    file(READ "${SCHEDULE_PACKAGING_DIR}/${source}" text)
    string(REPLACE "/usr/bin/schedule" "${binary}" text "${text}")
    set(copy "${staging}/${source}")
    file(WRITE "${copy}" "${text}")
    file(INSTALL DESTINATION "${destination}" TYPE FILE
         PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ FILES "${copy}")
endfunction()

# The same unit files serve the system manager (root's store) and every
# user's manager (each user's default store).
foreach(manager system user)
    foreach(unit schedule-tick.service schedule-tick.timer)
        install_with_binary("${unit}" "${CMAKE_INSTALL_PREFIX}/lib/systemd/${manager}")
    endforeach()
endforeach()
install_with_binary(cron.d/schedule "${sysconfdir}/cron.d")
