"""French of the demo data and postal code loading strings (see scripts/translate.py)."""

FR = {
    "Line %(line)s: %(error)s": "Ligne %(line)s : %(error)s",
    "%(name)s %(value)r is not a number between -%(limit)s and %(limit)s.": (
        "%(name)s %(value)r n'est pas un nombre entre -%(limit)s et %(limit)s."
    ),
    "the header must name the columns %(columns)s (missing: %(missing)s).": (
        "l'en-tête doit nommer les colonnes %(columns)s (manquantes : %(missing)s)."
    ),
    "the postal code %(code)r is not five digits.": (
        "le code postal %(code)r n'a pas cinq chiffres."
    ),
    "the city must be given, in at most %(max)s characters.": (
        "la commune est obligatoire, en %(max)s caractères au plus."
    ),
    "%(code)s %(city)s is already on line %(first)s.": (
        "%(code)s %(city)s figure déjà ligne %(first)s."
    ),
}
