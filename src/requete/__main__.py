"""``python -m requete``: the same CLI as the ``requete`` console script."""

from requete.entry import main

main()
