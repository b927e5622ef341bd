#!/usr/bin/env bash
# The translation catalogues (docs/i18n.md). Msgids are the Chinese words of the templates and code;
# each app keeps its English catalogue in bangfu/<app>/locale/en/, the project templates theirs in
# bangfu/locale/en/.
#   bash scripts/messages.sh make [app ...]   extract new words into the catalogues (then translate them)
#   bash scripts/messages.sh compile          build the .mo files Django reads (bootstrap and tests do it)
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=bangfu.settings
admin="$PWD/.venv/bin/django-admin"
APPS="accounts analytics areas casework core employment insurance market monitoring registry rules"
case "${1:-compile}" in
  make)
    shift || true
    for app in ${*:-$APPS project}; do
      if [ "$app" = project ]; then
        # bangfu/templates and the project's own modules; every app has its own catalogue. The patterns
        # name the app's files and folders by path: a bare "accounts/*" would also skip templates/accounts
        ignores=(); for a in $APPS demo testing static; do ignores+=(--ignore="$a/*.py" --ignore="$a/*/*"); done
        (cd bangfu && mkdir -p locale && "$admin" makemessages -l en --add-location=file --no-obsolete --no-wrap \
          "${ignores[@]}" --ignore='*/tests/*' -v 0)
      else
        (cd "bangfu/$app" && mkdir -p locale && "$admin" makemessages -l en --add-location=file --no-obsolete --no-wrap \
          --ignore='tests/*' --ignore='migrations/*' -v 0)
      fi
    done
    # a complete header (makemessages leaves it fuzzy, and msgfmt then ignores the charset)
    find bangfu -path '*/locale/en/LC_MESSAGES/django.po' -exec sed -i -e '1,8{/^#, fuzzy$/d}' \
      -e 's/^"Language: \\n"$/"Language: en\\n"/' {} + ;;
  compile)
    find bangfu -path '*/locale/*/LC_MESSAGES/django.po' | while read -r po; do
      mo="${po%.po}.mo"
      [ "$mo" -nt "$po" ] || msgfmt --check-format -o "$mo" "$po"
    done ;;
  *) echo "usage: $0 make [app ...] | compile" >&2; exit 2 ;;
esac
